package dev.plugboard.host.http;

import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import java.util.Optional;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.MimeHeaders;

/**
 * The server's only handler, so that every request passes the same checks: exactly one well-formed
 * {@code Host} (else 400), the DNS-rebinding guard on {@code Host} and {@code Origin} (403), then
 * {@code /mcp} to MCP and {@code /health/live} and {@code /health/ready} to the probes. Paths are
 * compared as sent, never decoded, so an encoded or odd path is simply not found (404). Errors on
 * {@code /mcp} are JSON-RPC errors; elsewhere small problem documents.
 */
final class FrontDoorHandler extends HttpHandler {

    static final String MCP_PATH = "/mcp";

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
        String path = request.getRequestURI();
        boolean isMcp = MCP_PATH.equals(path);
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
        if (isMcp) {
            mcp.service(request, response);
        } else if ("/health/live".equals(path) || "/health/ready".equals(path)) {
            if (request.getMethod() == Method.GET || request.getMethod() == Method.HEAD) {
                health.service(request, response);
            } else {
                response.setHeader("Allow", "GET, HEAD");
                Problems.send(response, 405, "Method Not Allowed", "use GET");
            }
        } else {
            Problems.send(response, 404, "Not Found", "nothing is served at this path; MCP is at " + MCP_PATH);
        }
    }

    private void refuse(boolean isMcp, Response response, int status, String title, String message)
            throws java.io.IOException {
        if (isMcp) {
            mcp.fail(response, status, ErrorCodes.INVALID_REQUEST, message);
        } else {
            Problems.send(response, status, title, message);
        }
    }
}
