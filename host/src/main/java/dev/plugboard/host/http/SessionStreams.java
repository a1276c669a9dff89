package dev.plugboard.host.http;

import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.session.SessionStore;
import dev.plugboard.host.session.StoreUnavailableException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The SSE streams of one session: the stream of unprompted messages and the streams of requests,
 * by id, so that a client can resume any of them. The most recent streams are kept. With a shared
 * session store, the stream of unprompted messages is also kept there, so that a client can resume
 * it on another node. Thread-safe.
 */
final class SessionStreams {

    private static final Logger LOG = Logger.getLogger(SessionStreams.class.getName());
    private static final int KEPT_STREAMS = 64;
    static final String UNPROMPTED = "g";

    private final boolean resumable;
    private final JsonRpcCodec codec;
    private final String sessionId;
    private final SessionStore store;
    private final Map<String, SseChannel> channels = new LinkedHashMap<>();
    private long counter;
    private SseChannel unprompted;

    SessionStreams(boolean resumable, JsonRpcCodec codec) {
        this(resumable, codec, null, SessionStore.LOCAL);
    }

    /**
     * @param sessionId the session's id
     * @param store where the stream of unprompted messages is also kept, when shared
     */
    SessionStreams(boolean resumable, JsonRpcCodec codec, String sessionId, SessionStore store) {
        this.resumable = resumable;
        this.codec = codec;
        this.sessionId = sessionId;
        this.store = store;
    }

    /** A new stream for a request. */
    synchronized SseChannel open() {
        SseChannel channel = new SseChannel("s" + (++counter), resumable, codec);
        channels.put(channel.id(), channel);
        if (channels.size() > KEPT_STREAMS) {
            var oldest = channels.entrySet().iterator();
            while (channels.size() > KEPT_STREAMS && oldest.hasNext()) {
                SseChannel c = oldest.next().getValue();
                if (c != unprompted) {
                    oldest.remove();
                }
            }
        }
        return channel;
    }

    /**
     * The stream of the session's unprompted messages. With a shared store, a new one continues the
     * stream the session had on other nodes: their kept events first, numbering after them.
     */
    synchronized SseChannel unprompted() {
        if (unprompted == null) {
            boolean shared = resumable && store.shared();
            unprompted = new SseChannel(UNPROMPTED, resumable, codec,
                    shared ? (seq, json) -> store.logEvent(sessionId, seq, json) : SseChannel.EventLog.NONE);
            if (shared) {
                List<SessionStore.StreamEvent> earlier;
                try {
                    earlier = store.loggedEvents(sessionId);
                } catch (StoreUnavailableException e) {
                    LOG.fine(() -> "The stream of session " + sessionId + " starts without the events kept elsewhere: "
                            + e.getMessage());
                    earlier = List.of();
                }
                // Numbers after anything another node may have sent, even when the store cannot say.
                unprompted.continueFrom(earlier, earlier.isEmpty() ? System.currentTimeMillis() : 0);
            }
            channels.put(unprompted.id(), unprompted);
        }
        return unprompted;
    }

    /** Whether the stream of unprompted messages can be resumed here though it began on another node. */
    boolean resumesElsewhere(String eventId) {
        return resumable && store.shared() && eventId.startsWith(UNPROMPTED + "-");
    }

    /** Lets the stream of unprompted messages go (another node took it); returns it, or null. */
    synchronized SseChannel releaseUnprompted() {
        SseChannel released = unprompted;
        if (released != null) {
            channels.remove(released.id());
            unprompted = null;
            released.complete();
        }
        return released;
    }

    /** The stream an event id belongs to, if it is still kept. */
    synchronized Optional<SseChannel> byEventId(String eventId) {
        int dash = eventId.lastIndexOf('-');
        return dash <= 0 ? Optional.empty() : Optional.ofNullable(channels.get(eventId.substring(0, dash)));
    }

    /** The sequence number in an event id; -1 when it has none. */
    static long sequenceOf(String eventId) {
        int dash = eventId.lastIndexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(eventId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
