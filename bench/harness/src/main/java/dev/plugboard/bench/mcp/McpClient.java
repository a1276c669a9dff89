package dev.plugboard.bench.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MCP client over Streamable HTTP, the way a real client behaves: in the session-based revision
 * it initializes, sends {@code notifications/initialized}, then sends every request with the session
 * id and protocol version headers, and ends the session with DELETE; in the stateless revision each
 * request carries the version in its headers and {@code _meta}. Every response is checked.
 * One instance per client thread.
 */
public final class McpClient implements AutoCloseable {

    /** How requests are framed. */
    public enum Era {
        /** 2025-11-25: initialize once, then a session id on every request. */
        SESSIONS("2025-11-25"),
        /** 2026-07-28: no session; version and method in headers and {@code _meta}. */
        STATELESS("2026-07-28"),
        /** Not MCP: Plugboard's REST API, {@code POST /api/v1/tools/echo/call} with the arguments as the body. */
        REST("rest");

        private final String version;

        Era(String version) {
            this.version = version;
        }

        /** The protocol version the client asks for. */
        public String version() {
            return version;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String ACCEPT = "application/json, text/event-stream";

    private final HttpClient http;
    private final boolean ownsHttp;
    private final URI uri;
    private final Era era;
    private String authorization;
    private final ObjectMapper mapper;
    private final AtomicLong ids = new AtomicLong();
    private String sessionId;
    private String protocolVersion;
    private String lastContentType;
    private String tool = "echo";

    /**
     * @param http the HTTP client (HTTP/1.1)
     * @param uri the MCP endpoint
     * @param era how to frame requests
     * @param mapper reads and writes JSON
     */
    public McpClient(HttpClient http, URI uri, Era era, ObjectMapper mapper) {
        this(http, false, uri, era, mapper);
    }

    private McpClient(HttpClient http, boolean ownsHttp, URI uri, Era era, ObjectMapper mapper) {
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.uri = uri;
        this.era = era;
        this.mapper = mapper;
    }

    /**
     * Sends this {@code Authorization} value with every request from now on (an API key: {@code Bearer <key>}).
     *
     * @return this
     */
    public McpClient withAuthorization(String value) {
        this.authorization = value;
        return this;
    }

    /** A client with an HTTP/1.1 client of its own, closed with it. */
    public static McpClient create(URI uri, Era era, ObjectMapper mapper) {
        return new McpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT).build(), true, uri, era, mapper);
    }

    /** Calls the echo tool by another name from now on (the same tool behind a proxy, say); returns this client. */
    public McpClient withTool(String name) {
        this.tool = name;
        return this;
    }

    /** Opens a session (session-based revision only; the stateless revision has nothing to open). */
    public McpClient open() throws IOException, InterruptedException, CheckFailed {
        if (era == Era.STATELESS || era == Era.REST) {
            return this;
        }
        ObjectNode params = mapper.createObjectNode().put("protocolVersion", era.version());
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "plugboard-bench").put("version", "1");
        long id = ids.incrementAndGet();
        HttpResponse<String> r = post(request(id, "initialize", params), null);
        JsonNode response = expect200(r, id);
        sessionId = r.headers().firstValue("mcp-session-id")
                .orElseThrow(() -> new CheckFailed("initialize answered without an Mcp-Session-Id"));
        protocolVersion = response.at("/result/protocolVersion").asText(null);
        if (protocolVersion == null) {
            throw new CheckFailed("initialize answered without a protocol version: " + response);
        }
        HttpResponse<String> initialized = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", null);
        if (initialized.statusCode() != 202 && initialized.statusCode() != 200) {
            throw new CheckFailed("notifications/initialized answered " + initialized.statusCode());
        }
        return this;
    }

    /** The session id, or null. */
    public String sessionId() {
        return sessionId;
    }

    /**
     * Calls the echo tool and checks that the result is exactly the message as one text content.
     *
     * @throws CheckFailed when the answer is anything else
     */
    public void callEcho(String message) throws IOException, InterruptedException, CheckFailed {
        if (era == Era.REST) {
            try (EchoCalls calls = echoCalls()) {
                calls.call(message);
            }
            return;
        }
        ObjectNode params = mapper.createObjectNode().put("name", tool);
        params.putObject("arguments").put("message", message);
        long id = ids.incrementAndGet();
        Responses.checkEcho(expect200(post(request(id, "tools/call", withMeta(params)), "tools/call", tool), id),
                message);
    }

    /** Echo calls over a connection of their own in this client's session (or framing, when stateless). */
    public EchoCalls echoCalls() {
        return new EchoCalls(uri, era, sessionId, protocolVersion, mapper, tool, authorization);
    }

    /**
     * Sends a request and returns its result.
     *
     * @param name the tool or prompt name (sent as the Mcp-Name header in the stateless revision), or null
     * @throws CheckFailed when the status is not 200 or the answer is an error
     */
    public JsonNode call(String method, ObjectNode params, String name)
            throws IOException, InterruptedException, CheckFailed {
        long id = ids.incrementAndGet();
        JsonNode response = expect200(post(request(id, method, withMeta(params)), method, name), id);
        if (!response.has("result")) {
            throw new CheckFailed(method + " answered " + Responses.abbreviate(response.toString()));
        }
        return response.get("result");
    }

    /** Ends the session (a server that does not support DELETE is fine) and closes its own HTTP client. */
    @Override
    public void close() {
        try {
            endSession();
        } finally {
            if (ownsHttp) {
                http.close();
            }
        }
    }

    private void endSession() {
        if (sessionId == null) {
            return;
        }
        HttpRequest delete = HttpRequest.newBuilder(uri).DELETE().timeout(TIMEOUT)
                .header("Mcp-Session-Id", sessionId).header("MCP-Protocol-Version", protocolVersion).build();
        try {
            http.send(delete, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the server may be gone already; the session ends with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessionId = null;
    }

    /** Opens the session's GET stream; events are handed to the listener on the HTTP client's thread. */
    public EventStream listen(EventStream.Listener listener) throws IOException, InterruptedException, CheckFailed {
        HttpRequest get = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", sessionId).header("MCP-Protocol-Version", protocolVersion).build();
        return EventStream.open(http, get, mapper, listener);
    }

    private ObjectNode withMeta(ObjectNode params) {
        if (era == Era.STATELESS) {
            params.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", era.version())
                    .putObject("io.modelcontextprotocol/clientCapabilities");
        }
        return params;
    }

    private String request(long id, String method, ObjectNode params) throws IOException {
        ObjectNode request = mapper.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        request.set("params", params);
        return mapper.writeValueAsString(request);
    }

    private HttpResponse<String> post(String body, String method) throws IOException, InterruptedException {
        return post(body, method, null);
    }

    private HttpResponse<String> post(String body, String method, String name) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (era == Era.STATELESS && method != null) {
            b.header("MCP-Protocol-Version", era.version()).header("Mcp-Method", method);
            if (name != null) {
                b.header("Mcp-Name", name);
            }
        } else if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId).header("MCP-Protocol-Version", protocolVersion);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode expect200(HttpResponse<String> r, long id) throws CheckFailed {
        if (r.statusCode() != 200) {
            throw new CheckFailed("HTTP " + r.statusCode() + ": " + Responses.abbreviate(r.body()));
        }
        lastContentType = r.headers().firstValue("content-type").orElse(null);
        return Responses.find(mapper, lastContentType, r.body(), id);
    }

    /** The Content-Type of the last response to a request, or null. */
    public String lastContentType() {
        return lastContentType;
    }
}
