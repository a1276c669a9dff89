package dev.plugboard.host.virtualserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.http.McpEndpoint;
import dev.plugboard.host.http.ServerEndpoints;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.session.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The virtual servers of {@code <config>/virtual-servers.json}: named MCP endpoints at
 * {@code /servers/NAME/mcp}, each showing the part of the one catalogue its globs select, in direct
 * or search mode. The file is checked every 200 ms and applied live: a new entry starts a server,
 * an entry whose globs changed shows the new selection to its connected sessions (with
 * {@code list_changed}), one whose mode or description changed starts again (its sessions end), a
 * removed one stops. An entry that cannot be used is logged and named in the 404 its clients get;
 * the others run. A file that is not valid JSON changes nothing.
 */
public final class VirtualServers implements ServerEndpoints, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(VirtualServers.class.getName());
    private static final long POLL_MILLIS = 200;
    private static final int MAX_NAME_ECHO = 64;

    private final Path file;
    private final Catalog catalog;
    private final McpEngine host;
    private final Invocations invocations;
    private final JsonRpcCodec codec;
    private final HostConfig config;
    private final String version;
    private final BiFunction<McpEngine, Sessions, McpEndpoint> endpoints;
    private final ObjectMapper mapper;
    private final Map<String, VirtualServer> running = new ConcurrentHashMap<>();
    private volatile Map<String, String> problems = Map.of();
    private volatile String fileError;
    private final ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("virtual-servers-watch").unstarted(r));
    private byte[] applied;

    private VirtualServers(HostConfig config, Catalog catalog, McpEngine host, Invocations invocations,
            JsonRpcCodec codec, String version, BiFunction<McpEngine, Sessions, McpEndpoint> endpoints) {
        this.file = config.configDir().resolve(VirtualServersFile.FILE);
        this.catalog = catalog;
        this.host = host;
        this.invocations = invocations;
        this.codec = codec;
        this.config = config;
        this.version = version;
        this.endpoints = endpoints;
        this.mapper = codec.mapper();
    }

    /**
     * Applies the file as it is now and starts following it.
     *
     * @param config the host's configuration (its config folder, session and engine settings)
     * @param catalog the one catalogue the servers show parts of
     * @param host the host's engine ({@code /mcp}), whose resource updates reach the servers' subscribers
     * @param invocations runs plugin code
     * @param codec the JSON settings
     * @param version the host's version, for the servers' {@code serverInfo}
     * @param endpoints makes an HTTP endpoint of an engine and its sessions (null without HTTP)
     */
    public static VirtualServers start(HostConfig config, Catalog catalog, McpEngine host, Invocations invocations,
            JsonRpcCodec codec, String version, BiFunction<McpEngine, Sessions, McpEndpoint> endpoints) {
        VirtualServers servers = new VirtualServers(config, catalog, host, invocations, codec, version, endpoints);
        servers.check();
        servers.poll.scheduleWithFixedDelay(servers::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return servers;
    }

    private synchronized void check() {
        try {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                content = new byte[0];
            }
            if (applied != null && Arrays.equals(applied, content)) {
                return;
            }
            applied = content;
            apply(content);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Reading " + file + " failed: " + e.getMessage(), e instanceof IOException ? null : e);
        }
    }

    private void apply(byte[] content) {
        VirtualServersFile.Parsed parsed = VirtualServersFile.parse(content, mapper);
        parsed.warnings().forEach(LOG::warning);
        fileError = parsed.fileError();
        if (parsed.fileError() != null) {
            LOG.warning(() -> parsed.fileError() + "; the virtual servers running stay as they are");
            return;
        }
        parsed.problems().forEach((name, why) -> LOG.warning(() -> "Virtual server " + name + " is not served: " + why));
        problems = Map.copyOf(parsed.problems());
        for (String name : List.copyOf(running.keySet())) {
            if (!parsed.servers().containsKey(name)) {
                running.remove(name).close();
                LOG.info(() -> "Virtual server " + name + " stopped");
            }
        }
        parsed.servers().forEach((name, spec) -> {
            VirtualServer server = running.get(name);
            if (server != null && server.spec().sameEndpoint(spec)) {
                if (!server.spec().equals(spec)) {
                    server.show(spec);
                    LOG.info(() -> "Virtual server " + name + " shows a new selection");
                }
                return;
            }
            // a new server, or one whose mode or description changed: the new one replaces it at once
            VirtualServer replaced = running.put(name, new VirtualServer(spec, catalog, host, invocations, codec,
                    config, version, endpoints));
            if (replaced != null) {
                replaced.close();
            }
            LOG.info(() -> "Virtual server " + name + " serves at " + PREFIX + name + "/mcp");
        });
    }

    @Override
    public Optional<McpEndpoint> find(String name) {
        VirtualServer server = running.get(name);
        return server == null ? Optional.empty() : Optional.of(server.endpoint());
    }

    /** The engine of the server of that name, if one is served now (stdio serves it without HTTP). */
    public Optional<McpEngine> engine(String name) {
        VirtualServer server = running.get(name);
        return server == null ? Optional.empty() : Optional.of(server.engine());
    }

    @Override
    public Optional<String> refuses(String name) {
        VirtualServer server = running.get(name);
        String role = server == null ? null : server.spec().requiredRole();
        if (role == null) {
            return Optional.empty();
        }
        java.util.Set<String> roles = dev.plugboard.host.security.Principal.current().roles();
        return roles.contains(role) || roles.contains(dev.plugboard.host.security.Roles.ADMIN) ? Optional.empty()
                : Optional.of("Virtual server '" + name + "' needs the role '" + role + "', which the caller does not hold");
    }

    @Override
    public String missing(String name) {
        String shown = name.length() > MAX_NAME_ECHO ? name.substring(0, MAX_NAME_ECHO) + "..." : name;
        String why = problems.get(name);
        String broken = fileError;
        return (why != null ? "Virtual server '" + shown + "' is not served: " + why
                : "Unknown virtual server: '" + shown + "' (the servers are declared in " + VirtualServersFile.FILE + ")")
                + (broken == null ? "" : "; " + broken + ", so the servers run as it said before");
    }

    /** The servers running now and the entries that could not be used, for reports. */
    public synchronized Map<String, Object> report() {
        Map<String, Object> out = new LinkedHashMap<>();
        running.forEach((name, s) -> out.put(name, Map.of("state", "serving", "mode",
                s.spec().searchMode() ? "search" : "direct")));
        problems.forEach((name, why) -> out.put(name, Map.of("state", "invalid", "lastError", why)));
        return out;
    }

    @Override
    public void close() {
        poll.shutdownNow();
        synchronized (this) {
            running.values().forEach(VirtualServer::close);
            running.clear();
        }
    }
}
