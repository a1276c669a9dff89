package dev.plugboard.host.http;

import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.glassfish.grizzly.http.io.OutputBuffer;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.ContentType;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.util.HeaderValue;

/**
 * One HTTP response carrying Server-Sent Events: JSON-RPC messages as {@code message} events (with
 * an id when the stream is resumable), a priming event, keep-alive comments. Writes are serialised
 * and gathered, so that what goes out at once goes out as one buffer; a failed write (the client
 * went away) closes the connection. Thread-safe.
 */
final class SseConnection implements MessageSink {

    private static final byte[] EVENT = "event: message\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);
    // Prepared once: Grizzly then copies them as bytes instead of parsing and comparing strings.
    private static final ContentType EVENT_STREAM = ContentType.newContentType("text/event-stream").prepare();
    private static final HeaderValue NO_CACHE = HeaderValue.newHeaderValue("no-cache, no-transform").prepare();
    /** Tells proxies such as nginx not to buffer the stream. */
    private static final String NO_BUFFERING_HEADER = "X-Accel-Buffering";
    private static final HeaderValue NO = HeaderValue.newHeaderValue("no").prepare();

    /** The HTTP response until the stream closes; Grizzly recycles it after that, so it is let go. */
    private Response response;
    private final JsonRpcCodec codec;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closedCondition = lock.newCondition();
    /** Events written but not yet handed to the response. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);
    private OutputBuffer out;
    private boolean closed;
    /** Opened without sending the headers yet: they go out with the first flushed write. */
    private boolean held;

    /** Streams open in this process (metrics: {@link HttpFrontDoor#openStreams()}). */
    static final java.util.concurrent.atomic.LongAdder OPEN = new java.util.concurrent.atomic.LongAdder();
    private boolean counted;

    SseConnection(Response response, JsonRpcCodec codec) {
        this.response = response;
        this.codec = codec;
    }

    /** Sends the status and headers. */
    void open() {
        openHeld();
        flush();
    }

    /**
     * Sets the status and headers without sending them: they go out with the first event that is
     * flushed, or with the end of the response, so that a quick answer costs one write.
     */
    void openHeld() {
        lock.lock();
        try {
            response.setStatus(200);
            response.getResponse().setContentType(EVENT_STREAM);
            response.addHeader(Header.CacheControl, NO_CACHE);
            response.addHeader(NO_BUFFERING_HEADER, NO);
            out = response.getOutputBuffer();
            held = true;
            if (!counted) {
                counted = true;
                OPEN.increment();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends whatever is written so far; false once closed. */
    boolean flush() {
        lock.lock();
        try {
            return !closed && sendLocked(true);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean send(JsonRpcMessage message) {
        byte[] json = codec.encodeForPeer(message);
        return json != null && event(null, json);
    }

    /** Writes one message event and sends it at once, with an id when one is given; false once closed. */
    boolean event(String id, byte[] json) {
        return event(id, json, true);
    }

    /**
     * Writes one message event, with an id when one is given, sending it at once when asked to
     * (the last event of a response need not be: the end of the response sends it); false once closed.
     */
    boolean event(String id, byte[] json, boolean flush) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (id != null) {
                pending.writeBytes(ID);
                pending.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
                pending.write('\n');
            }
            pending.writeBytes(EVENT);
            pending.writeBytes(json);
            pending.writeBytes(END);
            return !flush || sendLocked(true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the priming event of a resumable stream: an id to resume from and the reconnection
     * delay, with empty data. It is sent at once unless the headers are held.
     */
    boolean prime(String id, long retryMillis) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            pending.writeBytes(("id: " + id + "\nretry: " + retryMillis + "\ndata: \n\n").getBytes(StandardCharsets.US_ASCII));
            return held || sendLocked(true);
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
            pending.writeBytes(KEEPALIVE);
            return sendLocked(true);
        } finally {
            lock.unlock();
        }
    }

    /** Hands the pending events to the response as one buffer, and flushes it when asked; false on failure. */
    private boolean sendLocked(boolean flush) {
        try {
            if (pending.size() > 0) {
                out.writeBuffer(ResponseBodies.wrap(pending.toByteArray()));
                pending.reset();
            }
            if (flush) {
                out.flush();
                held = false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            pending.reset();
            if (counted && !closed) {
                OPEN.decrement();
            }
            closed = true;
            out = null;
            response = null;
            closedCondition.signalAll();
            return false;
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

    /** Ends the stream: what is pending goes out with the end of the response. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed && out != null) {
                sendLocked(false);
            }
            if (counted && !closed) {
                OPEN.decrement();
            }
            closed = true;
            out = null;
            response = null;
            closedCondition.signalAll();
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
}
