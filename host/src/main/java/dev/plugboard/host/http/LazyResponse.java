package dev.plugboard.host.http;

import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.Response;

/**
 * The answer to one POSTed request: plain JSON, unless a message about the request (progress, a log
 * message, a request to the client) has to go out first, in which case the response turns into an
 * SSE stream and the final response is its last event. Thread-safe.
 */
final class LazyResponse implements MessageSink {

    private final Response response;
    private final JsonRpcCodec codec;
    private final Supplier<SseChannel> channels;
    private final ReentrantLock lock = new ReentrantLock();
    private SseChannel channel;
    private SseConnection connection;
    private boolean finished;

    /**
     * @param response the HTTP response
     * @param codec writes the messages
     * @param channels opens the logical stream when the response becomes one
     */
    LazyResponse(Response response, JsonRpcCodec codec, Supplier<SseChannel> channels) {
        this.response = response;
        this.codec = codec;
        this.channels = channels;
    }

    /** Turns the response into an SSE stream now. */
    void stream() {
        lock.lock();
        try {
            openLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean send(JsonRpcMessage message) {
        lock.lock();
        try {
            if (finished) {
                return false;
            }
            openLocked();
            return channel.send(message);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends the final response: as the stream's last event if the response is a stream, else as JSON
     * with the given status.
     */
    void finish(JsonRpcResponse answer, int status) throws IOException {
        lock.lock();
        try {
            finished = true;
            if (channel != null) {
                if (answer != null) {
                    channel.send(answer);
                }
                channel.complete();
                return;
            }
        } finally {
            lock.unlock();
        }
        if (answer != null) {
            McpHttpHandler.writeJson(response, status, codec.encode(answer));
        } else {
            response.setStatus(204);
        }
    }

    /** Whether the response became a stream. */
    boolean streaming() {
        lock.lock();
        try {
            return channel != null;
        } finally {
            lock.unlock();
        }
    }

    /** The SSE connection, once the response became a stream. */
    SseConnection connection() {
        lock.lock();
        try {
            return connection;
        } finally {
            lock.unlock();
        }
    }

    private void openLocked() {
        if (channel != null) {
            return;
        }
        try {
            connection = new SseConnection(response, codec);
            connection.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = channels.get();
        channel.attach(connection, -1);
    }
}
