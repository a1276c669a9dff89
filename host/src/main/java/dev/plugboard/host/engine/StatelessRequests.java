package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.MirroredValue;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.util.Set;

/**
 * Checks a request of the stateless revision before it is dispatched, in the order clients rely on:
 * the version header, the request's {@code _meta}, the header against {@code _meta}, the version,
 * then the {@code Mcp-Method} and {@code Mcp-Name} headers against the body.
 */
final class StatelessRequests {

    static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String META_CLIENT = "io.modelcontextprotocol/clientInfo";
    static final String META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";

    /** Methods of the session-based revisions that the stateless revision removed. */
    static final Set<String> REMOVED = Set.of("initialize", "ping", "logging/setLevel", "resources/subscribe",
            "resources/unsubscribe");

    private StatelessRequests() {
    }

    /**
     * The HTTP headers that mirror the body; null for transports without headers (stdio).
     *
     * @param version {@code MCP-Protocol-Version}, or null when absent
     * @param method {@code Mcp-Method}, or null when absent
     * @param name {@code Mcp-Name}, or null when absent
     */
    record Headers(String version, String method, String name) {
    }

    /** Whether a request names the stateless revision in its {@code _meta}. */
    static boolean declaresStateless(JsonNode params) {
        return params != null && params.path("_meta").has(META_VERSION);
    }

    /**
     * Checks a request.
     *
     * @throws McpException with the code the revision prescribes
     */
    static void check(JsonRpcRequest request, Headers headers) {
        if (headers != null && headers.version() == null) {
            throw new McpException(ErrorCodes.HEADER_MISMATCH, "Missing MCP-Protocol-Version header");
        }
        JsonNode meta = request.params() == null ? null : request.params().get("_meta");
        if (meta == null || !meta.isObject() || !meta.path(META_VERSION).isTextual()
                || !meta.path(META_CAPABILITIES).isObject()) {
            throw McpException.invalidParams("Invalid params: \"_meta\" must carry \"" + META_VERSION + "\" and \""
                    + META_CAPABILITIES + "\"");
        }
        String version = meta.get(META_VERSION).asText();
        if (headers != null && !headers.version().trim().equals(version)) {
            throw new McpException(ErrorCodes.HEADER_MISMATCH, "Header mismatch: MCP-Protocol-Version header '"
                    + headers.version().trim() + "' does not match _meta protocolVersion '" + version + "'");
        }
        if (!ProtocolVersion.V2026_07_28.id().equals(version)) {
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.putArray("supported").add(ProtocolVersion.V2026_07_28.id());
            data.put("requested", version);
            throw new McpException(ErrorCodes.UNSUPPORTED_VERSION, "Unsupported protocol version: " + version, data);
        }
        if (meta.has(META_LOG_LEVEL) && !meta.get(META_LOG_LEVEL).isTextual()) {
            throw McpException.invalidParams("Invalid params: \"" + META_LOG_LEVEL + "\" must be a level name");
        }
        if (headers != null) {
            checkHeader("Mcp-Method", headers.method(), request.method());
            String name = nameOf(request);
            if (name != null) {
                checkHeader("Mcp-Name", headers.name(), name);
            }
        }
    }

    /** The value {@code Mcp-Name} mirrors for a request, or null when the method has none. */
    static String nameOf(JsonRpcRequest request) {
        JsonNode params = request.params();
        return switch (request.method()) {
            case "tools/call", "prompts/get" -> params == null ? null : params.path("name").asText(null);
            case "resources/read" -> params == null ? null : params.path("uri").asText(null);
            case "tasks/get", "tasks/update", "tasks/cancel" -> params == null ? null : params.path("taskId").asText(null);
            default -> null;
        };
    }

    private static void checkHeader(String header, String raw, String body) {
        if (raw == null) {
            throw new McpException(ErrorCodes.HEADER_MISMATCH, "Missing " + header + " header");
        }
        String value = MirroredValue.decode(header, raw);
        if (!value.equals(body)) {
            throw new McpException(ErrorCodes.HEADER_MISMATCH, "Header mismatch: " + header + " header value '" + value
                    + "' does not match body value '" + body + "'");
        }
    }
}
