package dev.plugboard.router.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A streamed answer that has started: its first chunks are read (so the model cannot be switched
 * any more once they are passed on), the rest come from {@link #next()}, each within the idle
 * timeout. A stream that ends without {@code data: [DONE]} or stalls is reported as cut, never as
 * complete. Not thread-safe: one reader.
 */
public final class ChatStream implements AutoCloseable {

    private static final Object END = new Object();

    private final InputStream body;
    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final Deque<ObjectNode> buffered = new ArrayDeque<>();
    private final ObjectMapper mapper;
    private final Duration idle;
    private final String model;
    private final long started;
    private long firstTokenNanos;
    private boolean done;

    ChatStream(InputStream body, ObjectMapper mapper, Duration idle, String model, long started) {
        this.body = body;
        this.mapper = mapper;
        this.idle = idle;
        this.model = model;
        this.started = started;
        Thread.ofVirtual().name("router-stream").start(this::pump);
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            lines.add(END);
        } catch (IOException e) {
            lines.add(e);
        }
    }

    /**
     * Reads until the first chunk that carries content, a finish reason or usage, keeping what it
     * read for {@link #next()}.
     *
     * @param firstToken the longest to wait
     * @throws ProviderException when it does not come in time, the stream ends first, or a chunk is malformed
     */
    void awaitFirstToken(Duration firstToken) throws ProviderException {
        long deadline = System.nanoTime() + firstToken.toNanos();
        while (true) {
            ObjectNode chunk = read(deadline - System.nanoTime(), true);
            if (chunk == null) {
                throw new ProviderException(ProviderException.Kind.CUT, "model " + model
                        + " ended its stream before its first token");
            }
            buffered.add(chunk);
            JsonNode choice = chunk.path("choices").path(0);
            if (!choice.path("delta").path("content").asText("").isEmpty() || choice.path("finish_reason").isTextual()
                    || choice.path("delta").has("tool_calls") || chunk.path("usage").isObject()) {
                firstTokenNanos = System.nanoTime() - started;
                return;
            }
        }
    }

    /** Nanoseconds from the request to the first token. */
    public long firstTokenNanos() {
        return firstTokenNanos;
    }

    /**
     * The next chunk, or null after {@code data: [DONE]}.
     *
     * @throws ProviderException when the stream stalls, ends without {@code [DONE]}, or a chunk is malformed
     */
    public ObjectNode next() throws ProviderException {
        if (!buffered.isEmpty()) {
            return buffered.poll();
        }
        if (done) {
            return null;
        }
        return read(idle.toNanos(), false);
    }

    private ObjectNode read(long waitNanos, boolean beforeFirst) throws ProviderException {
        while (true) {
            Object item;
            try {
                item = waitNanos <= 0 ? null : lines.poll(waitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new ProviderException(ProviderException.Kind.CUT, "the stream from model " + model + " was cancelled");
            }
            if (item == null) {
                close();
                throw beforeFirst
                        ? new ProviderException(ProviderException.Kind.TIMEOUT, "model " + model
                                + " sent no first token in time")
                        : new ProviderException(ProviderException.Kind.CUT, "model " + model
                                + " stalled: no chunk within " + idle.toMillis() + " ms");
            }
            if (item == END || item instanceof IOException) {
                close();
                if (done) {
                    return null;
                }
                throw new ProviderException(ProviderException.Kind.CUT, beforeFirst
                        ? "model " + model + " ended its stream before its first token"
                        : "the stream from model " + model + " ended before it was complete");
            }
            String line = (String) item;
            if (!line.startsWith("data:")) {
                continue; // blank lines, comments, event and id fields
            }
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) {
                done = true;
                close();
                return null;
            }
            JsonNode chunk;
            try {
                chunk = mapper.readTree(data);
            } catch (IOException e) {
                chunk = null;
            }
            if (chunk == null || !chunk.isObject()) {
                close();
                throw new ProviderException(ProviderException.Kind.MALFORMED, "model " + model
                        + " sent a stream chunk that is not JSON");
            }
            if (chunk.has("error")) {
                close();
                throw new ProviderException(ProviderException.Kind.CUT, "model " + model + " reported an error mid-stream: "
                        + ProviderClient.shorten(chunk.path("error").path("message").asText("no message")));
            }
            return (ObjectNode) chunk;
        }
    }

    /** Whether {@code data: [DONE]} was read. */
    public boolean complete() {
        return done && buffered.isEmpty();
    }

    /** Stops reading and lets go of the connection. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // the connection is gone already
        }
    }
}
