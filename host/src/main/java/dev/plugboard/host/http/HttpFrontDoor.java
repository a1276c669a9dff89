package dev.plugboard.host.http;

import dev.plugboard.host.deploy.Readiness;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.session.Sessions;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainerProvider;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The HTTP server: MCP at {@code /mcp} and the health probes at {@code /health}, on Grizzly with
 * request handling on virtual threads.
 */
public final class HttpFrontDoor implements AutoCloseable {

    private final HttpServer server;
    private final NetworkListener listener;
    private final McpHttpHandler mcp;

    private HttpFrontDoor(HttpServer server, NetworkListener listener, McpHttpHandler mcp) {
        this.server = server;
        this.listener = listener;
        this.mcp = mcp;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IOException when the address cannot be bound
     */
    public static HttpFrontDoor start(HttpSettings settings, McpEngine engine, Sessions sessions, JsonRpcCodec codec,
            Supplier<Readiness> readiness) throws IOException {
        InetAddress address = InetAddress.getByName(settings.host());
        RequestGuard guard = new RequestGuard(address.isLoopbackAddress(), settings.allowedHosts(),
                settings.allowedOrigins());
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("plugboard", settings.host(), settings.port());
        listener.getTransport().setWorkerThreadPool(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("http-", 0).factory()));
        listener.getKeepAlive().setIdleTimeoutInSeconds(300);
        server.addListener(listener);
        var config = server.getServerConfiguration();
        config.setName("Plugboard");
        config.setSendFileEnabled(false);
        // Grizzly's own error page shows the exception's stack trace; ours names the status only.
        config.setDefaultErrorPageGenerator((request, status, reason, description, exception) ->
                "<!doctype html><title>" + status + "</title><p>" + status + " " + reason + "</p>");
        McpHttpHandler mcp = new McpHttpHandler(engine, sessions, codec, settings, guard);
        sessions.onClose(mcp::sessionClosed);
        config.addHttpHandler(mcp, HttpHandlerRegistration.builder().contextPath("/mcp").urlPattern("").build());
        ResourceConfig health = new ResourceConfig(HealthResource.class).register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(new HealthResource.Source(readiness, codec.mapper())).to(HealthResource.Source.class);
            }
        });
        health.property("jersey.config.server.wadl.disableWadl", true);
        GrizzlyHttpContainer container = new GrizzlyHttpContainerProvider().createContainer(GrizzlyHttpContainer.class, health);
        config.addHttpHandler(container, HttpHandlerRegistration.builder().contextPath("/health").urlPattern("/*").build());
        server.start();
        return new HttpFrontDoor(server, listener, mcp);
    }

    /** The port actually bound. */
    public int port() {
        return listener.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        mcp.close();
    }
}
