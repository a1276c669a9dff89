package dev.plugboard.host.http;

import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.Response;

/**
 * The answer to one POSTed request: plain JSON, unless a message about the request (progress, a log
 * message, a request to the client) has to go out first, in which case the response turns into an
 * SSE stream and the final response is its last event. When the server answers with SSE always,
 * the stream's headers (and priming event) are held back a moment: a quick answer then goes out in
 * one write, and a slow one still gets its stream opened early. Thread-safe.
 */
final class LazyResponse implements MessageSink {

    private final Response response;
    private final JsonRpcCodec codec;
    private final Supplier<SseChannel> channels;
    private final ReentrantLock lock = new ReentrantLock();
    private SseChannel channel;
    private SseConnection connection;
    private boolean finished;
    private boolean alwaysStream;
    private HeldStreams heldBy;
    private volatile long heldUntil;

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

    /**
     * Makes the response an SSE stream: at once if a message about the request comes, when the
     * holder's delay passes if the request is still running then, else when the answer is ready.
     */
    void streamAfterHolding(HeldStreams holder) {
        lock.lock();
        try {
            alwaysStream = true;
            heldBy = holder;
        } finally {
            lock.unlock();
        }
        holder.hold(this);
    }

    void holdUntil(long nanoTime) {
        heldUntil = nanoTime;
    }

    long heldUntil() {
        return heldUntil;
    }

    /** Opens the held stream now, if the request is still running. */
    void openNow() {
        lock.lock();
        try {
            if (!finished) {
                openLocked();
                connection.flush();
            }
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
     * with the given status. A response that cannot be sent (too large, not writable as JSON) goes
     * out as the error that replaces it, with the status given for that.
     */
    void finish(JsonRpcResponse answer, int status, int statusIfUnsendable) throws IOException {
        lock.lock();
        try {
            finished = true;
            if (heldBy != null) {
                heldBy.release(this);
            }
            if (channel == null && alwaysStream && answer != null) {
                openLocked();
            }
            if (channel != null) {
                if (answer != null) {
                    channel.finish(answer);
                } else {
                    channel.complete();
                }
                connection.close();
                return;
            }
        } finally {
            lock.unlock();
        }
        if (answer != null) {
            byte[] json;
            int sent = status;
            try {
                json = codec.encodeResponse(answer);
            } catch (McpException e) {
                json = codec.encode(e.toResponse(answer.id()));
                sent = statusIfUnsendable;
            }
            McpHttpHandler.writeJson(response, sent, json);
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
        connection = new SseConnection(response, codec);
        connection.openHeld();
        channel = channels.get();
        channel.attach(connection, -1);
    }
}
