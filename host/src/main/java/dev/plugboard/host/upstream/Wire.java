package dev.plugboard.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Carries encoded JSON-RPC messages to one upstream server and hands back what it sends. */
interface Wire extends AutoCloseable {

    /** The largest message read from a server: bytes of a JSON answer, characters of an event. */
    int MAX_MESSAGE = 16 * 1024 * 1024;

    /** Where a wire delivers what arrives. Called from the wire's own threads. */
    interface Inbound {
        /**
         * One message from the server, as a JSON tree (not yet decoded).
         *
         * @param related the id of the client request on whose stream it came (an HTTP POST's
         *     answer), or null when the transport does not say
         */
        void received(JsonNode message, JsonNode related);

        /** The wire ended on its own (the process exited, a stream failed for good). */
        void ended(String reason);

        /** The answer to the request with that id cannot come (its stream broke a limit); says why. */
        default void failed(JsonNode id, String reason) {
        }

        /** Whether the request with that id still waits for its answer (a dropped stream is resumed). */
        default boolean awaiting(JsonNode id) {
            return false;
        }
    }

    /**
     * One message to send, with what an HTTP wire mirrors in headers.
     *
     * @param bytes the encoded message
     * @param id the request's id, or null for a notification or an answer
     * @param method the request's or notification's method, or null for an answer
     * @param name the value {@code Mcp-Name} mirrors (a tool's or prompt's name, a resource's URI), or null
     * @param stateless whether it is a request of the stateless revision (2026-07-28)
     */
    record Outgoing(byte[] bytes, JsonNode id, String method, String name, boolean stateless) {

        /** Whether it starts a session or probes the server: its answer is read before sending returns. */
        boolean handshake() {
            return "initialize".equals(method) || "server/discover".equals(method);
        }
    }

    /** Starts the wire: the process, the event stream, or nothing for Streamable HTTP. */
    void open(Inbound inbound) throws IOException;

    /**
     * Sends one message. Answers may arrive before this returns, on another thread.
     *
     * @throws SessionExpired when an HTTP server no longer knows the session
     * @throws IOException when the message could not be delivered
     */
    void send(Outgoing message) throws IOException;

    /**
     * Called once the handshake is done: an HTTP wire opens its stream for server messages.
     *
     * @param protocolVersion the agreed revision
     * @param listen for the stateless revision, the {@code subscriptions/listen} request that opens
     *     that stream; null otherwise
     */
    default void initialized(String protocolVersion, Outgoing listen) {
    }

    /** Whether the server may be asked {@code server/discover} (the stateless revision) first. */
    default boolean probes() {
        return false;
    }

    /**
     * Whether sending a request may block until the server answers it (an HTTP POST): the
     * connection then sends requests off the caller's thread, which waits on its future under its
     * own time limit.
     */
    default boolean sendsAsync() {
        return false;
    }

    /**
     * Sends one message of a wire that {@link #sendsAsync() sends asynchronously}, without holding
     * the caller's thread while the server takes its time. The stage completes once the message is
     * delivered (what the answer carries is handed to the inbound, or being read from its stream),
     * or fails as {@link #send} would. By default, {@link #send} on a virtual thread of its own.
     *
     * @param threadName the name of a thread it starts, if it starts one
     */
    default CompletableFuture<Void> sendLater(Outgoing message, String threadName) {
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        Thread.ofVirtual().name(threadName).start(() -> {
            try {
                send(message);
                delivered.complete(null);
            } catch (IOException | RuntimeException e) {
                delivered.completeExceptionally(e);
            }
        });
        return delivered;
    }

    /**
     * Sends a request and reads its answer on the calling thread, when this wire can do so for this
     * message: an HTTP wire does it for a request to a plain {@code http} server, over a connection
     * it keeps alive. What the answer carries is handed to the inbound before this returns, an answer
     * that is an event stream included (read here, under the same deadline).
     *
     * @param deadline the {@link System#nanoTime()} by which the answer must have come
     * @return whether it was sent; false when this wire does not send that message this way (nothing
     *     was sent: the caller sends it with {@link #sendLater})
     * @throws TimedOut when the deadline passed first (the exchange is closed)
     * @throws SessionExpired when an HTTP server no longer knows the session
     * @throws IOException when the message could not be delivered or the answer not read
     */
    default boolean sendInPlace(Outgoing message, long deadline) throws IOException {
        return false;
    }

    /** Stops waiting for the answer to a request: its HTTP exchange is closed (a cancel). */
    default void abandon(JsonNode id) {
    }

    /** Whether the wire can still carry messages. */
    boolean isOpen();

    @Override
    void close();

    /**
     * A failure this package describes in a plain sentence of its own (never a library's message
     * or an address), fit to be passed on as it is.
     */
    class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(String sentence) {
            super(sentence);
        }

        Failure(String sentence, Throwable cause) {
            super(sentence, cause);
        }
    }

    /** The server did not answer within the request's time limit. */
    final class TimedOut extends Failure {
        private static final long serialVersionUID = 1L;

        TimedOut() {
            super("it did not answer in time");
        }
    }

    /** The server answered 404 for the session: it must be initialised again. */
    final class SessionExpired extends Failure {
        private static final long serialVersionUID = 1L;

        SessionExpired() {
            super("the upstream session expired");
        }
    }
}
