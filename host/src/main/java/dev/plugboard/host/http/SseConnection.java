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
 * One HTTP response carrying Server-Sent Events: JSON-RPC messages as {@code message} events (with
 * an id when the stream is resumable), a priming event, keep-alive comments. Writes are serialised;
 * a failed write (the client went away) closes the connection. Thread-safe.
 */
final class SseConnection implements MessageSink {

    private static final byte[] EVENT = "event: message\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Response response;
    private final JsonRpcCodec codec;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closedCondition = lock.newCondition();
    private OutputStream out;
    private boolean closed;

    SseConnection(Response response, JsonRpcCodec codec) {
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
        return event(null, codec.encode(message));
    }

    /** Writes one message event, with an id when one is given; false once closed. */
    boolean event(String id, byte[] json) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (id != null) {
                out.write(ID);
                out.write(id.getBytes(StandardCharsets.US_ASCII));
                out.write('\n');
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

    /**
     * Writes the priming event of a resumable stream: an id to resume from and the reconnection
     * delay, with empty data.
     */
    boolean prime(String id, long retryMillis) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            out.write(("id: " + id + "\nretry: " + retryMillis + "\ndata: \n\n").getBytes(StandardCharsets.US_ASCII));
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
