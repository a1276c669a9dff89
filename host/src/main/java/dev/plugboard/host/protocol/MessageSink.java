package dev.plugboard.host.protocol;

import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;

/**
 * Where the server sends messages to one client: an SSE stream, a stdio pipe, or nowhere.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface MessageSink {

    /** A sink that drops everything, for requests with no channel back to the client. */
    MessageSink NONE = message -> false;

    /**
     * Sends one message.
     *
     * @return whether it was handed to the transport (false when the channel is closed or absent)
     */
    boolean send(JsonRpcMessage message);

    /**
     * Whether a client is connected to this sink now. A sink that outlives its connections (a
     * resumable SSE stream) says false between them; the default is true.
     */
    default boolean connected() {
        return true;
    }

    /** Closes the channel, when it is one that can be closed; later sends return false. */
    default void close() {
    }
}
