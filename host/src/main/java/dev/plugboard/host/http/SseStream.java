package dev.plugboard.host.http;

import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.glassfish.grizzly.http.server.Response;

/**
 * A Server-Sent Events response carrying JSON-RPC messages, one {@code message} event each.
 * Writes are serialised; a failed write (the client went away) closes the stream. Thread-safe.
 */
final class SseStream implements MessageSink {

    private static final byte[] EVENT = "event: message\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Response response;
    private final JsonRpcCodec codec;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closedCondition = lock.newCondition();
    private OutputStream out;
    private boolean closed;

    SseStream(Response response, JsonRpcCodec codec) {
        this.response = response;
        this.codec = codec;
    }

    /** Sends the status and headers. */
    void open() throws IOException {
        lock.lock();
        try {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setHeader("Cache-Control", "no-cache, no-transform");
            response.setHeader("X-Accel-Buffering", "no");
            out = response.getOutputStream();
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean send(JsonRpcMessage message) {
        byte[] json = codec.encode(message);
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            out.write(EVENT);
            out.write(json);
            out.write(END);
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            closeLocked();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Writes a comment that keeps proxies from timing the stream out; false once closed. */
    boolean keepAlive() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            out.write(KEEPALIVE);
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            closeLocked();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the stream closes or the time passes.
     *
     * @return whether the stream is closed
     */
    boolean awaitClosed(Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!closed && nanos > 0) {
                nanos = closedCondition.awaitNanos(nanos);
            }
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked() {
        closed = true;
        closedCondition.signalAll();
    }
}
