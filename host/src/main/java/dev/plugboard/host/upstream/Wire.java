package dev.plugboard.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Carries encoded JSON-RPC messages to one upstream server and hands back what it sends. */
interface Wire extends AutoCloseable {

    /** Where a wire delivers what arrives. Called from the wire's own threads. */
    interface Inbound {
        /** One message from the server, as a JSON tree (not yet decoded). */
        void received(JsonNode message);

        /** The wire ended on its own (the process exited, a stream failed for good). */
        void ended(String reason);
    }

    /** Starts the wire: the process, or nothing for HTTP. */
    void open(Inbound inbound) throws IOException;

    /**
     * Sends one message. Answers may arrive before this returns, on another thread.
     *
     * @throws SessionExpired when an HTTP server no longer knows the session
     * @throws IOException when the message could not be delivered
     */
    void send(byte[] message, boolean isRequest) throws IOException;

    /** Called once the handshake is done: the HTTP wire opens its stream for server messages. */
    default void initialized(String protocolVersion) {
    }

    /** Whether the wire can still carry messages. */
    boolean isOpen();

    @Override
    void close();

    /** The server answered 404 for the session: it must be initialised again. */
    final class SessionExpired extends IOException {
        private static final long serialVersionUID = 1L;

        SessionExpired() {
            super("the upstream session expired");
        }
    }
}
