package dev.plugboard.host.http;

import dev.plugboard.host.deploy.Readiness;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.graphql.GraphqlDoor;
import dev.plugboard.host.graphql.UpgradeGuard;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.rest.RestApi;
import dev.plugboard.host.security.HttpGate;
import dev.plugboard.host.web.PluginRoutes;
import dev.plugboard.host.session.Sessions;
import dev.plugboard.host.websocket.McpWebSocketDoor;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.glassfish.grizzly.filterchain.DefaultFilterChain;
import org.glassfish.grizzly.http.HttpBrokenContentException;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;

/**
 * The HTTP server: MCP at {@code /mcp}, the health probes at {@code /health}, REST at
 * {@code /api/v1} and GraphQL at {@code /graphql} (with WebSockets), MCP over WebSocket at
 * {@code /mcp/ws} when that door is on, on Grizzly with
 * request handling on virtual threads.
 */
public final class HttpFrontDoor implements AutoCloseable {

    /**
     * Grizzly logs a request body it cannot parse (a broken chunk) with a stack trace; that is the
     * client's mistake, answered 400, so it is logged at FINE without one. Held here so that the
     * logger, and its filter, stay.
     */
    private static final Logger FILTER_CHAIN_LOG = quietOnBrokenContent(
            Logger.getLogger(DefaultFilterChain.class.getName()));

    private static Logger quietOnBrokenContent(Logger logger) {
        logger.setFilter(record -> {
            if (record.getThrown() instanceof HttpBrokenContentException broken) {
                Logger.getLogger(HttpFrontDoor.class.getName()).fine(() -> "A request body could not be parsed: "
                        + broken.getMessage());
                return false;
            }
            return true;
        });
        return logger;
    }

    private final HttpServer server;
    private final NetworkListener listener;
    private final McpHttpHandler mcp;
    private final ConnectionLimits limits;
    private final FrontDoorHandler door;
    private final JsonRpcCodec codec;
    private final HttpSettings settings;
    private final BuiltInBackground rest;

    private HttpFrontDoor(HttpServer server, NetworkListener listener, McpHttpHandler mcp, ConnectionLimits limits,
            FrontDoorHandler door, JsonRpcCodec codec, HttpSettings settings, BuiltInBackground rest) {
        this.server = server;
        this.listener = listener;
        this.mcp = mcp;
        this.limits = limits;
        this.door = door;
        this.codec = codec;
        this.settings = settings;
        this.rest = rest;
    }

    /**
     * Builds REST's Jersey application now, if no request has made it start: called once start-up is
     * over, so that the build neither shares the CPU with start-up nor makes the first REST request wait.
     */
    public void buildRest() {
        rest.beginBuilding();
    }

    /**
     * Makes an MCP endpoint over another engine and its own sessions, with this front door's
     * transport settings; it is served once {@link #serveServers} finds it.
     */
    public McpEndpoint endpoint(McpEngine engine, Sessions sessions) {
        McpHttpHandler handler = new McpHttpHandler(engine, sessions, codec, settings);
        sessions.onClose(handler::sessionClosed);
        return new McpEndpoint(handler);
    }

    /** Serves these endpoints at {@code /servers/NAME/mcp}; until called, those paths are not found. */
    public void serveServers(ServerEndpoints endpoints) {
        door.serveServers(endpoints);
    }

    /**
     * Binds and starts the server.
     *
     * @param gate the security layer every request but the health probes passes
     * @param pages handlers of exact paths (such as {@code /metrics} and the detailed {@code /health}),
     *     behind the same Host and Origin checks and the same gate as every request
     * @param plugins the routes plugins serve, behind the same checks and gate
     * @param mcpSockets the MCP-over-WebSocket door, or null when it is off
     * @throws IOException when the address cannot be bound
     */
    public static HttpFrontDoor start(HttpSettings settings, McpEngine engine, Sessions sessions, JsonRpcCodec codec,
            Supplier<Readiness> readiness, RestApi rest, GraphqlDoor graphql, HttpGate gate,
            Map<String, HttpHandler> pages, PluginRoutes plugins, McpWebSocketDoor mcpSockets) throws IOException {
        HungUpClients.quietOnHangUps();
        InetAddress address = InetAddress.getByName(settings.host());
        RequestGuard guard = new RequestGuard(address.isLoopbackAddress(), settings.allowedHosts(),
                settings.allowedOrigins());
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("plugboard", settings.host(), settings.port());
        listener.getTransport().setWorkerThreadPool(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("http-", 0).factory()));
        // Requests are read on the network threads and handled on a virtual thread each, except the
        // quick ones that FrontDoorHandler keeps there (a tool call whose body has arrived).
        listener.getTransport().setIOStrategy(SameThreadIOStrategy.getInstance());
        listener.getKeepAlive().setIdleTimeoutInSeconds(300);
        // A busy client keeps its connection: Grizzly would otherwise close it after 256 requests, and
        // the client would pay a new connection (and, with TLS in front, a new handshake) for each 256.
        listener.getKeepAlive().setMaxRequestsCount(-1);
        // A blocking read of a request body waits this long for more bytes before it fails (408).
        listener.getTransport().setReadTimeout(settings.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ConnectionLimits limits = new ConnectionLimits(settings.maxConnections(), settings.headerTimeout());
        listener.registerAddOn(limits);
        // WebSocket upgrades of /graphql that pass the same Host and Origin checks as every request;
        // the others reach FrontDoorHandler, which refuses them as it refuses any request.
        UpgradeGuard upgrades = (host, hosts, origin) -> hosts <= 1
                && (host == null || RequestGuard.wellFormedHost(host)) && guard.refusal(host, origin).isEmpty();
        listener.registerAddOn(graphql.webSockets(upgrades));
        if (mcpSockets != null) {
            listener.registerAddOn(mcpSockets.addOn(upgrades));
        }
        var config = server.getServerConfiguration();
        config.setName("Plugboard");
        config.setSendFileEnabled(false);
        // TRACE reaches the handlers (405 with a JSON body) instead of Grizzly's empty 405.
        config.setPassTraceRequest(true);
        // Grizzly's own error page is HTML with the exception's stack trace; ours is a problem
        // document naming the status only.
        config.setDefaultErrorPageGenerator((request, status, reason, description, exception) -> {
            request.getResponse().setContentType(Problems.MEDIA_TYPE);
            request.getResponse().setCharacterEncoding("UTF-8");
            return new String(Problems.json(status, reason, null), StandardCharsets.UTF_8);
        });
        McpHttpHandler mcp = new McpHttpHandler(engine, sessions, codec, settings);
        sessions.onClose(mcp::sessionClosed);
        HttpHandler probes = new HealthProbes(readiness, codec.mapper(), gate::seesHealthDetail);
        // REST's Jersey application is built once start-up is over (buildRest) or for its first request.
        BuiltInBackground api = new BuiltInBackground("rest", rest::handler);
        // One handler at the root: Grizzly then neither decodes nor maps paths, and every request
        // passes the same checks.
        FrontDoorHandler door = new FrontDoorHandler(guard, mcp, probes, api, graphql, gate, pages, plugins);
        config.addHttpHandler(door, HttpHandlerRegistration.ROOT);
        // Grizzly binds the listeners it starts with before it installs the handlers, and a request in
        // between is answered 404: the listener joins a running server instead, whose handlers are in
        // place. Joining logs and swallows a failed bind; starting the listener again throws it.
        server.start();
        server.addListener(listener);
        if (!listener.isStarted()) {
            try {
                listener.start();
            } catch (IOException e) {
                server.shutdownNow();
                throw e;
            }
        }
        return new HttpFrontDoor(server, listener, mcp, limits, door, codec, settings, api);
    }

    /** How many Server-Sent Event streams are open in this process (all servers in it). */
    public static long openStreams() {
        return SseConnection.OPEN.sum();
    }

    /** The port actually bound. */
    public int port() {
        return listener.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        mcp.close();
        limits.close();
    }
}
