package dev.plugboard.bench.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** A server-sent event stream read in the background; each JSON message goes to a listener. */
public final class EventStream implements AutoCloseable {

    /** Hears each message, with the time it was read. */
    @FunctionalInterface
    public interface Listener {
        /** One message, read at {@code nanoTime}. */
        void message(JsonNode message, long nanoTime);
    }

    private final CompletableFuture<Void> reading;
    private volatile Stream<String> lines;

    private EventStream(CompletableFuture<Void> reading) {
        this.reading = reading;
    }

    static EventStream open(HttpClient http, HttpRequest get, ObjectMapper mapper, Listener listener)
            throws IOException, InterruptedException, CheckFailed {
        HttpResponse<Stream<String>> r = http.send(get, HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new CheckFailed("GET stream answered " + r.statusCode());
        }
        CompletableFuture<Void> reading = new CompletableFuture<>();
        EventStream stream = new EventStream(reading);
        stream.lines = r.body();
        Thread.ofPlatform().daemon().name("bench-events").start(() -> {
            StringBuilder data = new StringBuilder();
            try {
                stream.lines.forEach(line -> {
                    if (line.startsWith("data:")) {
                        data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        long now = System.nanoTime();
                        try {
                            listener.message(mapper.readTree(data.toString()), now);
                        } catch (IOException e) {
                            // not JSON: not an MCP message; ignored
                        }
                        data.setLength(0);
                    }
                });
                reading.complete(null);
            } catch (RuntimeException e) {
                reading.completeExceptionally(e);
            }
        });
        return stream;
    }

    @Override
    public void close() {
        Stream<String> s = lines;
        if (s != null) {
            s.close();
        }
        reading.cancel(true);
    }
}
