package dev.plugboard.router.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.ChunkSink;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Carries a streamed answer from the routing thread to the HTTP response as server-sent events in
 * OpenAI's format ({@code data: {...}} lines, {@code data: [DONE]} at a complete end, an error event
 * and no {@code [DONE]} at a failed one). {@link #started()} completes with the first chunk, so that
 * the door can still answer a failure before it with a status code.
 */
final class SseBridge implements ChunkSink {

    private static final String END = "";

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> started = new CompletableFuture<>();
    private final Consumer<JsonNode> explained;
    private volatile boolean gone;

    /** @param explained given the {@code plugboard} explanation the stream ends with (as usage, or in its error) */
    SseBridge(Consumer<JsonNode> explained) {
        this.explained = explained;
    }

    /** Completes with the first chunk's model when the first chunk is ready. */
    CompletableFuture<String> started() {
        return started;
    }

    @Override
    public void chunk(ObjectNode chunk) throws IOException {
        if (gone) {
            throw new IOException("the client went away");
        }
        events.add("data: " + chunk + "\n\n");
        started.complete(chunk.path("model").asText());
        if (chunk.has("plugboard")) {
            explained.accept(chunk.get("plugboard"));
        }
    }

    @Override
    public void error(ObjectNode error) {
        if (error.has("plugboard")) {
            explained.accept(error.get("plugboard"));
        }
        events.add("data: " + error + "\n\n");
        events.add(END);
        started.complete(null);
    }

    @Override
    public void done() {
        events.add("data: [DONE]\n\n");
        events.add(END);
    }

    /** Fails the stream from outside (the routing thread died). */
    void abort(ObjectNode error) {
        error(error);
    }

    /** The response body: writes and flushes each event as it comes, until the end. */
    StreamingOutput output() {
        return out -> {
            try {
                while (true) {
                    String event = events.take();
                    if (event.equals(END)) {
                        out.flush();
                        return;
                    }
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (InterruptedException e) {
                gone = true;
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                gone = true;
                throw e;
            }
        };
    }
}
