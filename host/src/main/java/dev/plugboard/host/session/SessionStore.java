package dev.plugboard.host.session;

import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where sessions are kept beyond this node's memory, so that any node serves any session. The
 * default, {@link #LOCAL}, keeps nothing: sessions live and end in this node only, exactly as without
 * a store. A shared store is the truth about which sessions exist; each node caches the sessions it
 * serves.
 */
public interface SessionStore {

    /** No store: sessions are this node's alone. */
    SessionStore LOCAL = new SessionStore() {
        @Override
        public boolean shared() {
            return false;
        }

        @Override
        public long save(SessionState state) {
            return 0;
        }

        @Override
        public long update(SessionState state) {
            return 0;
        }

        @Override
        public Optional<SessionState> load(String id) {
            return Optional.empty();
        }

        @Override
        public void keepAlive(SessionState state, Runnable ifEnded) {
        }

        @Override
        public void end(String id) {
        }

        @Override
        public void onEndedElsewhere(Consumer<String> action) {
        }

        @Override
        public void onChangedElsewhere(Consumer<SessionState> action) {
        }

        @Override
        public void resyncFrom(Supplier<Collection<SessionState>> held) {
        }

        @Override
        public void logEvent(String sessionId, long seq, byte[] json) {
        }

        @Override
        public List<StreamEvent> loggedEvents(String sessionId) {
            return List.of();
        }

        @Override
        public void streamTaken(String sessionId) {
        }

        @Override
        public void onStreamTakenElsewhere(Consumer<String> action) {
        }
    };

    /**
     * An event of a session's stream of unprompted messages, kept so that a client may resume the
     * stream on another node.
     *
     * @param seq its number in the stream (the part of the SSE event id after the dash)
     * @param json the message, as sent
     */
    record StreamEvent(long seq, byte[] json) {
    }

    /** Whether other nodes see these sessions (false for {@link #LOCAL}). */
    boolean shared();

    /**
     * Stores a new or changed session. Returns once the store acknowledged it, or at once (the write
     * queued until the store is back) while the store is unreachable. A session ended elsewhere is
     * not brought back.
     *
     * @return the revision the store gave this state, or 0 when unknown (the write queued, the
     *     session ended, or nothing stored)
     */
    long save(SessionState state);

    /**
     * Stores a changed session, like {@link #save}, and gives the new state to the other nodes that
     * hold the session.
     *
     * @return the revision the store gave this state, or 0 when unknown
     */
    long update(SessionState state);

    /**
     * A session this node does not hold.
     *
     * @return the session, or empty when it never existed, ended or expired
     * @throws StoreUnavailableException when the store cannot answer now
     */
    Optional<SessionState> load(String id);

    /**
     * Renews a session's expiry in the store, without waiting. A session the store lost (a restarted
     * store) is written again; one that ended elsewhere runs {@code ifEnded}.
     */
    void keepAlive(SessionState state, Runnable ifEnded);

    /** Ends a session everywhere: other nodes drop their copies, and it is not brought back. */
    void end(String id);

    /** Sets what to do when another node ends a session (the id is given). */
    void onEndedElsewhere(Consumer<String> action);

    /** Sets what to do when another node changed a session (its log level, subscriptions, ...). */
    void onChangedElsewhere(Consumer<SessionState> action);

    /**
     * Sets where the sessions this node holds come from, so that the store can be given them again
     * when it comes back after an outage (a restarted store may have lost them).
     */
    void resyncFrom(Supplier<Collection<SessionState>> held);

    /**
     * Keeps an event of a session's stream of unprompted messages (the latest ones, bounded), without
     * waiting.
     */
    void logEvent(String sessionId, long seq, byte[] json);

    /**
     * The kept events of a session's stream of unprompted messages, oldest first.
     *
     * @throws StoreUnavailableException when the store cannot answer now
     */
    List<StreamEvent> loggedEvents(String sessionId);

    /** This node now holds the session's stream of unprompted messages: the others let theirs go. */
    void streamTaken(String sessionId);

    /** Sets what to do when another node took a session's stream (the session id is given). */
    void onStreamTakenElsewhere(Consumer<String> action);

    /** This node's id among the nodes that share the store (in server-to-client request ids); empty for {@link #LOCAL}. */
    default String node() {
        return "";
    }

    /**
     * Records that this node waits for the client's answer to a server-to-client request, before the
     * request goes out. Returns once stored, or at once (queued) while the store is unreachable.
     */
    default void awaiting(String sessionId, String requestId) {
    }

    /** The client's answer to a server-to-client request came: no node waits for it any more. Without waiting. */
    default void answered(String sessionId, String requestId) {
    }

    /**
     * Sends a client's answer that no request of this node awaits to the node that asked.
     *
     * @return {@link AnswerRoute#FORWARDED}, {@link AnswerRoute#NOT_AWAITED} or {@link AnswerRoute#ASKER_GONE}
     * @throws StoreUnavailableException when the store cannot answer now
     */
    default AnswerRoute forward(String sessionId, JsonRpcResponse response) {
        return AnswerRoute.NOT_AWAITED;
    }

    /** Sets what to do with an answer another node received for a request of this node (session id, answer). */
    default void onAnswerFromElsewhere(BiConsumer<String, JsonRpcResponse> action) {
    }
}
