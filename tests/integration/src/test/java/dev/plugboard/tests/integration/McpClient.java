package dev.plugboard.tests.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A raw MCP-over-HTTP client for tests: every header and body is under the test's control. */
final class McpClient {

    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How long one request may take before the client gives up. Generous: on a loaded or slow machine a
     * first call that warms a plugin up (the search index, the router) has taken close to a minute, and
     * a limit only decides how long a hung call takes to fail the test.
     */
    static final Duration REQUEST_LIMIT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final URI uri;
    private final AtomicInteger ids = new AtomicInteger();
    String sessionId;
    /** Sent as {@code Authorization} with every request when set. */
    String authorization;

    McpClient(URI uri) {
        this.uri = uri;
    }

    /** A response: status, headers and body. */
    record Reply(int status, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        /** The JSON-RPC message of an SSE body's last event, or of a JSON body. */
        JsonNode message() {
            String ct = header("Content-Type");
            if (ct != null && ct.startsWith("text/event-stream")) {
                String last = null;
                for (String line : raw.body().split("\n")) {
                    if (line.startsWith("data:")) {
                        last = line.substring(5).trim();
                    }
                }
                try {
                    return JSON.readTree(last);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            return json();
        }
    }

    Map<String, String> defaultHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        if (sessionId != null) {
            h.put("Mcp-Session-Id", sessionId);
        }
        if (authorization != null) {
            h.put("Authorization", authorization);
        }
        return h;
    }

    Reply send(String method, String body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_LIMIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((k, v) -> {
            if (v != null) {
                b.header(k, v);
            }
        });
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r);
    }

    Reply post(String body) throws IOException, InterruptedException {
        return send("POST", body, defaultHeaders());
    }

    Reply post(String body, Map<String, String> overrides) throws IOException, InterruptedException {
        Map<String, String> h = defaultHeaders();
        h.putAll(overrides);
        return send("POST", body, h);
    }

    String request(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    /** Opens a session (initialize, then the initialized notification). */
    McpClient initialize() throws IOException, InterruptedException {
        Reply r = post(request("initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"integration-test\",\"version\":\"1\"}}"));
        if (r.status() != 200) {
            throw new AssertionError("initialize failed: " + r.status() + " " + r.raw().body());
        }
        sessionId = r.header("Mcp-Session-Id");
        Reply initialized = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        if (initialized.status() != 202) {
            throw new AssertionError("initialized was answered " + initialized.status());
        }
        return this;
    }

    /** Sends a request and returns its JSON-RPC response (from JSON or SSE). */
    JsonNode call(String method, String params) throws IOException, InterruptedException {
        Reply r = post(request(method, params));
        if (r.status() != 200) {
            throw new AssertionError(method + " answered " + r.status() + ": " + r.raw().body());
        }
        return r.message();
    }

    /** Calls a tool and returns the result object. */
    JsonNode callTool(String name, String arguments) throws IOException, InterruptedException {
        JsonNode response = call("tools/call", "{\"name\":\"" + name + "\",\"arguments\":" + arguments + "}");
        if (!response.has("result")) {
            throw new AssertionError("tools/call " + name + " failed: " + response);
        }
        return response.get("result");
    }

    /** Names of the tools listed, across all pages. */
    java.util.List<String> toolNames() throws IOException, InterruptedException {
        java.util.List<String> names = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = call("tools/list", cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}").get("result");
            page.get("tools").forEach(t -> names.add(t.get("name").asText()));
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return names;
    }

    /** Posts a request whose SSE response is read in the background as it arrives. */
    Stream postStreaming(String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        defaultHeaders().forEach(b::header);
        return new Stream(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    /** The session's GET stream, read in the background. */
    Stream openStream() throws IOException, InterruptedException {
        return resume(null);
    }

    /** A GET stream resuming after the given event id (or the session's stream when null). */
    Stream resume(String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", sessionId);
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpRequest get = b.build();
        HttpResponse<java.util.stream.Stream<String>> r = HTTP.send(get, HttpResponse.BodyHandlers.ofLines());
        return new Stream(r);
    }

    /** An open SSE stream whose messages arrive in a queue. */
    static final class Stream implements AutoCloseable {
        final int status;
        private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        /** The id of the last event read (priming events included), or null. */
        volatile String lastEventId;
        private final Map<JsonNode, String> eventIds = Collections.synchronizedMap(new IdentityHashMap<>());
        /** The reconnection delay the server asked for, or null. */
        volatile String retry;
        private final Thread reader;
        private final HttpResponse<java.util.stream.Stream<String>> response;

        Stream(HttpResponse<java.util.stream.Stream<String>> response) {
            this.response = response;
            this.status = response.statusCode();
            this.reader = Thread.ofVirtual().start(() -> {
                try {
                    response.body().forEach(line -> {
                        if (line.startsWith("id:")) {
                            lastEventId = line.substring(3).trim();
                        } else if (line.startsWith("retry:")) {
                            retry = line.substring(6).trim();
                        } else if (line.startsWith("data:") && !line.substring(5).isBlank()) {
                            try {
                                JsonNode message = JSON.readTree(line.substring(5).trim());
                                if (lastEventId != null) {
                                    eventIds.put(message, lastEventId);
                                }
                                messages.add(message);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    });
                } catch (RuntimeException e) {
                    // the stream was closed
                }
            });
        }

        /** The id of the event that carried a message this stream delivered (the id line comes first). */
        String eventId(JsonNode message) {
            return eventIds.get(message);
        }

        /** The next message, waiting up to the limit; null when none came. */
        JsonNode next(Duration limit) throws InterruptedException {
            return messages.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Every message still to come, once the server ends the stream. */
        java.util.List<JsonNode> remaining() throws InterruptedException {
            reader.join(REQUEST_LIMIT);
            if (reader.isAlive()) {
                throw new AssertionError("the stream did not end");
            }
            java.util.List<JsonNode> rest = new java.util.ArrayList<>();
            messages.drainTo(rest);
            return rest;
        }

        /** Waits for a message with the given method, skipping others. */
        JsonNode await(String method, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode m = next(Duration.ofNanos(deadline - System.nanoTime()));
                if (m != null && method.equals(m.path("method").asText())) {
                    return m;
                }
            }
            throw new AssertionError("no " + method + " within " + limit);
        }

        @Override
        public void close() {
            response.body().close();
            reader.interrupt();
        }
    }
}
