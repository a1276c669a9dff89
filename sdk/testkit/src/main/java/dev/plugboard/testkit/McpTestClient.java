package dev.plugboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An MCP client of the 2025-11-25 revision over Streamable HTTP, for tests: it initializes a
 * session, keeps the server's GET stream open to receive notifications, and turns JSON-RPC errors
 * into {@link McpErrorException}. Not thread-safe; one test uses one client.
 */
public final class McpTestClient implements AutoCloseable {

    /** The protocol revision this client speaks. */
    public static final String PROTOCOL_VERSION = "2025-11-25";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI uri;
    private final AtomicInteger ids = new AtomicInteger();
    private final BlockingQueue<JsonNode> notifications = new LinkedBlockingQueue<>();
    private String sessionId;
    private CompletableFuture<HttpResponse<Stream<String>>> stream;

    McpTestClient(URI uri) {
        this.uri = uri;
    }

    /** Initializes a session and opens the notification stream. */
    void open() {
        ObjectNode params = JSON.createObjectNode();
        params.put("protocolVersion", PROTOCOL_VERSION);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "plugboard-testkit").put("version", "1.0.0");
        request("initialize", params);
        post(message(null, "notifications/initialized", JSON.createObjectNode()));
        HttpRequest get = builder().header("Accept", "text/event-stream").GET().build();
        stream = http.sendAsync(get, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response;
        try {
            response = stream.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the notification stream", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the notification stream did not open: " + e.getMessage(), e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the notification stream was refused with HTTP " + response.statusCode());
        }
        Thread.ofVirtual().name("plugboard-testkit-notifications").start(() -> {
            try (Stream<String> lines = response.body()) {
                lines.filter(line -> line.startsWith("data:")).forEach(line -> {
                    JsonNode message = parse(line.substring(5).trim());
                    if (message.has("method")) {
                        notifications.add(message);
                    }
                });
            } catch (UncheckedIOException closed) {
                // the stream ends when the client or the host closes
            }
        });
    }

    /** Every tool the host lists, across pages, as the JSON objects of {@code tools/list}. */
    public List<JsonNode> tools() {
        List<JsonNode> tools = new ArrayList<>();
        String cursor = null;
        do {
            ObjectNode params = JSON.createObjectNode();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonNode page = request("tools/list", params);
            page.path("tools").forEach(tools::add);
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return tools;
    }

    /**
     * The listed tool of that name (with its {@code inputSchema}, {@code outputSchema},
     * {@code annotations}).
     *
     * @throws AssertionError when no such tool is listed
     */
    public JsonNode tool(String name) {
        List<JsonNode> all = tools();
        return all.stream().filter(t -> name.equals(t.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no tool '" + name + "' is listed; the host lists "
                        + all.stream().map(t -> t.path("name").asText()).toList()));
    }

    /**
     * Calls a tool.
     *
     * @param arguments the arguments, as values Jackson writes (maps, lists, strings, numbers, records)
     * @return the result; a tool's own error is a result with {@link CallResult#isError()}
     * @throws McpErrorException when the host refuses the call (unknown tool, invalid arguments)
     */
    public CallResult callTool(String name, Map<String, ?> arguments) {
        ObjectNode params = JSON.createObjectNode();
        params.put("name", name);
        params.set("arguments", JSON.valueToTree(arguments));
        return new CallResult(request("tools/call", params));
    }

    /**
     * Sends any request and returns its {@code result}.
     *
     * @param params the params object (a map, a record or a {@code JsonNode})
     * @throws McpErrorException when the host answers with a JSON-RPC error
     */
    public JsonNode request(String method, Object params) {
        int id = ids.incrementAndGet();
        HttpResponse<String> response = post(message(id, method, JSON.valueToTree(params)));
        if (sessionId == null) {
            sessionId = response.headers().firstValue("Mcp-Session-Id").orElse(null);
        }
        JsonNode answer = answer(response, id);
        if (answer.has("error")) {
            JsonNode error = answer.get("error");
            throw new McpErrorException(error.path("code").asInt(), error.path("message").asText());
        }
        return answer.path("result");
    }

    /**
     * Waits for the next notification of that method (such as
     * {@code notifications/tools/list_changed}) and returns it; notifications of other methods
     * received meanwhile are dropped.
     *
     * @throws AssertionError when none arrives within the timeout
     */
    public JsonNode awaitNotification(String method, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode next = left > 0 ? notifications.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    throw new AssertionError("no " + method + " within " + timeout.toMillis() + " ms");
                }
                if (method.equals(next.path("method").asText())) {
                    return next;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + method, e);
        }
    }

    /** Forgets the notifications received so far. */
    public void clearNotifications() {
        notifications.clear();
    }

    /** Ends the session and closes the notification stream. */
    @Override
    public void close() {
        if (sessionId != null) {
            try {
                http.send(builder().DELETE().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // the host is gone already
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (stream != null) {
            stream.thenAccept(r -> r.body().close());
        }
        http.close();
    }

    private static ObjectNode message(Integer id, String method, JsonNode params) {
        ObjectNode m = JSON.createObjectNode();
        m.put("jsonrpc", "2.0");
        if (id != null) {
            m.put("id", id);
        }
        m.put("method", method);
        m.set("params", params);
        return m;
    }

    private HttpRequest.Builder builder() {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId).header("MCP-Protocol-Version", PROTOCOL_VERSION);
        }
        return b;
    }

    private HttpResponse<String> post(JsonNode message) {
        HttpRequest request = builder().timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(message.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new McpErrorException(response.statusCode(), "HTTP " + response.statusCode() + ": " + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("the host did not answer " + message.path("method").asText(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The response of that id in a JSON body or in an SSE body (which may carry notifications first). */
    private JsonNode answer(HttpResponse<String> response, int id) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            return parse(response.body());
        }
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data:")) {
                JsonNode message = parse(line.substring(5).trim());
                if (message.path("id").asInt(-1) == id && !message.has("method")) {
                    return message;
                }
                if (message.has("method") && !message.has("id")) {
                    notifications.add(message);
                }
            }
        }
        throw new IllegalStateException("no response to request " + id + " in: " + response.body());
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("the host sent something that is not JSON: " + text, e);
        }
    }
}
