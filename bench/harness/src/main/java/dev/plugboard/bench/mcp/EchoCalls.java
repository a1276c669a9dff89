package dev.plugboard.bench.mcp;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Echo tool calls over one persistent connection, framed like {@link McpClient}'s (session id and
 * protocol version headers, or the stateless revision's headers and {@code _meta}) and checked the
 * same way. The load generator's inner loop. Not thread-safe.
 */
public final class EchoCalls implements AutoCloseable {

    /** Where the REST API calls echo, on the same server as the MCP endpoint. */
    static final String REST_CALL = "/api/v1/tools/echo/call";

    private final HttpConnection connection;
    private final String path;
    private final McpClient.Era era;
    private final String sessionHeaders;
    private final ObjectMapper mapper;
    private final String tool;
    private long id;

    /**
     * @param uri the MCP endpoint
     * @param era how requests are framed
     * @param sessionId the session's id (session-based revision), or null
     * @param protocolVersion the negotiated version (session-based revision), or null
     * @param mapper reads JSON
     */
    public EchoCalls(URI uri, McpClient.Era era, String sessionId, String protocolVersion, ObjectMapper mapper) {
        this(uri, era, sessionId, protocolVersion, mapper, "echo", null);
    }

    /**
     * Calls of an echo tool, possibly of another name (the same tool behind a proxy, say), possibly
     * with a credential.
     *
     * @param tool the tool's name
     * @param authorization the {@code Authorization} value every call sends, or null for none
     */
    public EchoCalls(URI uri, McpClient.Era era, String sessionId, String protocolVersion, ObjectMapper mapper,
            String tool, String authorization) {
        this.tool = tool;
        this.connection = new HttpConnection(uri);
        this.path = era == McpClient.Era.REST ? REST_CALL : uri.getRawPath();
        this.era = era;
        this.mapper = mapper;
        this.sessionHeaders = (era == McpClient.Era.REST ? ""
                : era == McpClient.Era.STATELESS
                ? "MCP-Protocol-Version: " + era.version() + "\r\nMcp-Method: tools/call\r\nMcp-Name: " + tool + "\r\n"
                : "Mcp-Session-Id: " + sessionId + "\r\nMCP-Protocol-Version: " + protocolVersion + "\r\n")
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n");
    }

    /**
     * Calls echo with a message and checks the answer.
     *
     * @return the latency in nanoseconds: from writing the request to reading the end of the
     *     response, without building the request or checking the answer
     */
    public long call(String message) throws IOException, CheckFailed {
        long requestId = ++id;
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(message));
        String meta = era == McpClient.Era.STATELESS ? ",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\""
                + era.version() + "\",\"io.modelcontextprotocol/clientCapabilities\":{}}" : "";
        byte[] body = era == McpClient.Era.REST
                ? ("{\"message\":\"" + quoted + "\"}").getBytes(StandardCharsets.UTF_8)
                : ("{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"" + tool + "\",\"arguments\":{\"message\":\"" + quoted + "\"}" + meta + "}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + connection.host()
                + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + sessionHeaders + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long sent = System.nanoTime();
        HttpConnection.Response r = connection.exchange(head, body);
        long latency = System.nanoTime() - sent;
        if (r.status() != 200) {
            throw new CheckFailed("HTTP " + r.status() + ": " + Responses.abbreviate(r.text()));
        }
        JsonNode response = era == McpClient.Era.REST
                ? mapper.createObjectNode().set("result", mapper.readTree(r.text()))
                : Responses.find(mapper, r.headers().get("content-type"), r.text(), requestId);
        Responses.checkEcho(response, message);
        return latency;
    }

    @Override
    public void close() {
        connection.close();
    }
}
