package dev.plugboard.host.virtualserver;

import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.engine.EngineSettings;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.http.McpEndpoint;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.session.Sessions;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running virtual server: its view of the catalogue, its own sessions, and the host's engine
 * over that view, served as one HTTP endpoint.
 */
final class VirtualServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(VirtualServer.class.getName());

    private final CatalogView view;
    private final Sessions sessions;
    private final McpEngine engine;
    private final McpEndpoint endpoint;
    private final AutoCloseable resourceUpdates;
    private volatile VirtualServerSpec spec;

    VirtualServer(VirtualServerSpec spec, Catalog catalog, McpEngine host, Invocations invocations, JsonRpcCodec codec,
            HostConfig config, String version, BiFunction<McpEngine, Sessions, McpEndpoint> endpoints) {
        this.spec = spec;
        this.view = new CatalogView(catalog, spec, codec.mapper(), config.drainTimeout(), config.swapWait());
        this.sessions = new Sessions(config.sessionIdleTimeout(), config.maxSessions(), config.maxSessionsPerClient(),
                config.maxClientDataBytes());
        String instructions = spec.description() != null ? spec.description() : config.instructions();
        this.engine = new McpEngine(new EngineSettings("plugboard-" + spec.name(), version, instructions,
                config.pageSize(), config.requestStateKey(), config.toolTimeout(), config.listTtl(), spec.searchMode()),
                view.catalog(), invocations, sessions, codec);
        this.endpoint = endpoints.apply(engine, sessions);
        // its sessions subscribe only to what it shows; they hear of updates as /mcp's sessions do
        this.resourceUpdates = host.onResourceUpdated(engine::notifyResourceUpdated);
    }

    VirtualServerSpec spec() {
        return spec;
    }

    McpEndpoint endpoint() {
        return endpoint;
    }

    McpEngine engine() {
        return engine;
    }

    /** Shows what other globs select; its sessions stay and hear of the change. */
    void show(VirtualServerSpec next) {
        spec = next;
        view.show(next);
    }

    @Override
    public void close() {
        for (AutoCloseable part : new AutoCloseable[] {resourceUpdates, endpoint, sessions, engine, view}) {
            if (part == null) {
                continue; // no HTTP endpoint: served over stdio
            }
            try {
                part.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Stopping part of virtual server " + spec.name() + " failed", e);
            }
        }
    }
}
