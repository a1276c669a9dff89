package dev.plugboard.host.http;

import dev.plugboard.host.graphql.GraphqlDoor;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.security.HttpGate;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.tracing.TraceContext;
import dev.plugboard.host.web.PluginRoutes;
import dev.plugboard.host.web.RouteAccess;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.RequestExecutorProvider;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.MimeHeaders;

/**
 * The server's only handler, so that every request passes the same checks: exactly one well-formed
 * {@code Host} (else 400), the DNS-rebinding guard on {@code Host} and {@code Origin} (403), the
 * security layer ({@link HttpGate}: who the request acts for, bound to the thread while it is routed), then
 * {@code /mcp} to MCP, {@code /health/...} to the probes, {@code /api/v1/...} to REST (Jersey) and
 * {@code /graphql...} to GraphQL, and paths a plugin serves to its route ({@link PluginRoutes}). Paths are
 * compared as sent, never decoded, so an encoded or odd path is simply not found (404). Errors on
 * {@code /mcp} are JSON-RPC errors; elsewhere small problem documents.
 */
final class FrontDoorHandler extends HttpHandler {

    static final String MCP_PATH = "/mcp";
    private static final String HEALTH_PREFIX = "/health/";
    private static final String API_PREFIX = "/api/v1/";
    private static final Logger LOG = Logger.getLogger(FrontDoorHandler.class.getName());

    /**
     * A POST to {@code /mcp} whose whole body (at most this long) has arrived is handled on the
     * network thread that read it, up to the point where it would wait: a tool call then goes
     * straight to its plugin's thread, which writes the answer, so no other thread is woken for it.
     * Every other request, and the rest of such a POST when it is not a tool call, runs on a virtual
     * thread of its own ({@link McpHttpHandler}). So do the REST API's requests, except those it
     * answers without waiting ({@link QuickRequests}: a plain JSON tool call).
     */
    static final int QUICK_BODY_BYTES = 64 * 1024;

    private final RequestExecutorProvider executors = request -> quick(request) ? null
            : request.getContext().getConnection().getTransport().getWorkerThreadPool();
    private final RequestGuard guard;
    private final McpHttpHandler mcp;
    private final HttpHandler health;
    private final HttpHandler api;
    private final GraphqlDoor graphql;
    private volatile ServerEndpoints servers;
    private final HttpGate gate;
    private final Map<String, HttpHandler> pages;
    private final PluginRoutes plugins;

    /**
     * @param pages handlers of exact paths (such as {@code /metrics} and {@code /health}), after the same checks
     * @param plugins the routes plugins serve, for paths the host does not
     */
    FrontDoorHandler(RequestGuard guard, McpHttpHandler mcp, HttpHandler health, HttpHandler api,
            GraphqlDoor graphql, HttpGate gate, Map<String, HttpHandler> pages, PluginRoutes plugins) {
        this.plugins = plugins;
        this.gate = gate;
        this.pages = Map.copyOf(pages);
        this.guard = guard;
        this.mcp = mcp;
        this.health = health;
        this.api = api;
        this.graphql = graphql;
    }

    void serveServers(ServerEndpoints endpoints) {
        this.servers = endpoints;
    }

    @Override
    public RequestExecutorProvider getRequestExecutorProvider() {
        return executors;
    }

    private boolean quick(Request request) {
        long length = request.getContentLengthLong();
        if (request.getMethod() != Method.POST || length < 0 || length > QUICK_BODY_BYTES
                || request.getInputBuffer().readyData() < length) {
            return false;
        }
        boolean quickPath = request.getRequest().getRequestURIRef().getRequestURIBC().equals(MCP_PATH)
                || api instanceof QuickRequests rest && request.getRequestURI().startsWith(API_PREFIX)
                && rest.answersQuickly(request);
        return quickPath && HttpGate.checksQuickly(request.getHeader("Authorization"));
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        try {
            admitAndRoute(request, response);
        } finally {
            if (!Thread.currentThread().isVirtual()) {
                // The network thread (a quick request): the objects of the requests other threads
                // finished come back to its cache for the next ones it parses.
                RecycledRequests.refill();
            }
        }
    }

    private void admitAndRoute(Request request, Response response) throws Exception {
        // Compared as bytes: the MCP path costs no string per request.
        boolean isMcp = request.getRequest().getRequestURIRef().getRequestURIBC().equals(MCP_PATH);
        String path = isMcp ? MCP_PATH : request.getRequestURI();
        MimeHeaders headers = request.getRequest().getHeaders();
        int hosts = 0;
        String host = null;
        for (int i = 0, n = headers.size(); i < n; i++) { // one pass: counted and read together
            if (headers.getName(i).equalsIgnoreCase("host") && hosts++ == 0) {
                host = headers.getValue(i).toString();
            }
        }
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
        // a virtual server's endpoint is MCP too: its refusals are JSON-RPC errors
        Optional<RouteAccess> plugin = isMcp ? Optional.empty() : plugins.claim(path);
        Principal caller = plugin.isPresent() ? gate.admitRoute(path, plugin.get().operation(), request, response)
                : gate.admit(path, isMcp || path.startsWith(ServerEndpoints.PREFIX), request, response);
        if (caller == null) {
            return;
        }
        Principal before = Principal.bind(caller);
        try {
            route(path, isMcp, plugin.isPresent(), request, response);
        } catch (RuntimeException e) {
            // A bug, not the client's doing: one line at WARNING, the trace at FINE, and a JSON 500.
            LOG.warning(() -> "Answering " + request.getMethod() + " " + path + " failed: " + e);
            LOG.log(Level.FINE, "Answering a request failed", e);
            if (!response.isCommitted()) {
                response.reset();
                refuse(isMcp, response, 500, "Internal Server Error", "Internal error");
            }
        } finally {
            Principal.restore(before);
        }
    }

    private void route(String path, boolean isMcp, boolean plugin, Request request, Response response)
            throws Exception {
        if (isMcp) {
            mcp.service(request, response);
        } else if ((path.startsWith(HEALTH_PREFIX) || path.startsWith(API_PREFIX)) && plainPath(path)) {
            if (!wellFormedQuery(request.getQueryString())) {
                Problems.send(response, 400, "Bad Request", "the query string has a malformed percent-encoding");
            } else {
                HttpHandler handler = path.startsWith(API_PREFIX) ? api : health;
                traced(request, () -> {
                    handler.service(request, response);
                    return null;
                });
            }
        } else if (path.startsWith(ServerEndpoints.PREFIX)) {
            server(path, request, response);
        } else if (pages.containsKey(path)) {
            pages.get(path).service(request, response);
        } else if (GraphqlDoor.serves(path) && plainPath(path)) {
            if (!wellFormedQuery(request.getQueryString())) {
                Problems.send(response, 400, "Bad Request", "the query string has a malformed percent-encoding");
            } else {
                traced(request, () -> {
                    graphql.service(request, response);
                    return null;
                });
            }
        } else if (plugin && plainPath(path)) {
            if (!wellFormedQuery(request.getQueryString())) {
                Problems.send(response, 400, "Bad Request", "the query string has a malformed percent-encoding");
            } else {
                traced(request, () -> {
                    plugins.service(request, response);
                    return null;
                });
            }
        } else {
            Problems.send(response, 404, "Not Found", "nothing is served at this path; MCP is at " + MCP_PATH);
        }
    }

    /** {@code /servers/NAME/mcp}: a virtual server's MCP endpoint; anything else there is a JSON-RPC 404. */
    private void server(String path, Request request, Response response) throws Exception {
        String rest = path.substring(ServerEndpoints.PREFIX.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        ServerEndpoints endpoints = servers;
        Optional<McpEndpoint> endpoint = endpoints == null || slash < 0 || !rest.substring(slash).equals(MCP_PATH)
                ? Optional.empty() : endpoints.find(name);
        Optional<String> refused = endpoint.isPresent() ? endpoints.refuses(name) : Optional.empty();
        if (refused.isPresent()) {
            mcp.fail(response, 403, ErrorCodes.INVALID_REQUEST, refused.get());
        } else if (endpoint.isPresent()) {
            endpoint.get().handler().service(request, response);
        } else {
            String why = endpoints == null ? "no virtual servers are served"
                    : slash < 0 || !rest.substring(slash).equals(MCP_PATH)
                    ? "nothing is served at this path; a virtual server is at " + ServerEndpoints.PREFIX + "NAME" + MCP_PATH
                    : endpoints.missing(name);
            mcp.fail(response, 404, ErrorCodes.INVALID_REQUEST, why);
        }
    }

    /**
     * Runs a REST or GraphQL request under the W3C trace context of its {@code traceparent} header,
     * if it has a well-formed one, so that the door's calls carry it ({@code TraceContext.current()}).
     */
    private static void traced(Request request, TraceContext.Body<Void, Exception> handling) throws Exception {
        String parent = request.getHeader(TraceContext.TRACEPARENT);
        Optional<TraceContext> trace = parent == null ? Optional.empty()
                : TraceContext.of(parent, request.getHeader(TraceContext.TRACESTATE));
        if (trace.isEmpty()) {
            handling.run();
        } else {
            TraceContext.during(trace.get(), handling);
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
