package dev.plugboard.host.http;

import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.MimeHeaders;

/**
 * The server's only handler, so that every request passes the same checks: exactly one well-formed
 * {@code Host} (else 400), the DNS-rebinding guard on {@code Host} and {@code Origin} (403), then
 * {@code /mcp} to MCP and {@code /health/...} to the probes (Jersey). Paths are
 * compared as sent, never decoded, so an encoded or odd path is simply not found (404). Errors on
 * {@code /mcp} are JSON-RPC errors; elsewhere small problem documents.
 */
final class FrontDoorHandler extends HttpHandler {

    static final String MCP_PATH = "/mcp";
    private static final String HEALTH_PREFIX = "/health/";
    private static final Logger LOG = Logger.getLogger(FrontDoorHandler.class.getName());

    private final RequestGuard guard;
    private final McpHttpHandler mcp;
    private final HttpHandler health;

    FrontDoorHandler(RequestGuard guard, McpHttpHandler mcp, HttpHandler health) {
        this.guard = guard;
        this.mcp = mcp;
        this.health = health;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        // Compared as bytes: the MCP path costs no string per request.
        boolean isMcp = request.getRequest().getRequestURIRef().getRequestURIBC().equals(MCP_PATH);
        String path = isMcp ? MCP_PATH : request.getRequestURI();
        MimeHeaders headers = request.getRequest().getHeaders();
        int hosts = 0;
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (headers.getName(i).equalsIgnoreCase("host")) {
                hosts++;
            }
        }
        String host = request.getHeader("Host");
        if (hosts > 1 || (host != null && !RequestGuard.wellFormedHost(host))) {
            McpHttpHandler.closeAfter(request, response);
            refuse(isMcp, response, 400, "Bad Request", hosts > 1 ? "Bad Request: more than one Host header"
                    : "Bad Request: the Host header is malformed");
            return;
        }
        Optional<String> refusal = guard.refusal(host, request.getHeader("Origin"));
        if (refusal.isPresent()) {
            refuse(isMcp, response, 403, "Forbidden", refusal.get());
            return;
        }
        try {
            route(path, isMcp, request, response);
        } catch (RuntimeException e) {
            // A bug, not the client's doing: one line at WARNING, the trace at FINE, and a JSON 500.
            LOG.warning(() -> "Answering " + request.getMethod() + " " + path + " failed: " + e);
            LOG.log(Level.FINE, "Answering a request failed", e);
            if (!response.isCommitted()) {
                response.reset();
                refuse(isMcp, response, 500, "Internal Server Error", "Internal error");
            }
        }
    }

    private void route(String path, boolean isMcp, Request request, Response response) throws Exception {
        if (isMcp) {
            mcp.service(request, response);
        } else if (path.startsWith(HEALTH_PREFIX) && plainPath(path)) {
            if (!wellFormedQuery(request.getQueryString())) {
                Problems.send(response, 400, "Bad Request", "the query string has a malformed percent-encoding");
            } else {
                health.service(request, response);
            }
        } else {
            Problems.send(response, 404, "Not Found", "nothing is served at this path; MCP is at " + MCP_PATH);
        }
    }

    /**
     * Whether a path is visible ASCII with well-formed percent-encodings: what Jersey can match
     * without failing (it answers 500 on others).
     */
    static boolean plainPath(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return wellFormedQuery(path);
    }

    /** Whether every {@code %} of a query is followed by two hex digits (Jersey fails on others with a 500). */
    static boolean wellFormedQuery(String query) {
        if (query == null) {
            return true;
        }
        for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
            if (i + 2 >= query.length() || Character.digit(query.charAt(i + 1), 16) < 0
                    || Character.digit(query.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private void refuse(boolean isMcp, Response response, int status, String title, String message)
            throws java.io.IOException {
        if (isMcp) {
            mcp.fail(response, status, status >= 500 ? ErrorCodes.INTERNAL_ERROR : ErrorCodes.INVALID_REQUEST, message);
        } else {
            Problems.send(response, status, title, message);
        }
    }
}
