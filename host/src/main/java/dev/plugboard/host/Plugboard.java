package dev.plugboard.host;

import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.api.embedding.EmbeddingService;
import dev.plugboard.api.store.SharedState;
import dev.plugboard.api.dynamic.DynamicCatalog;
import dev.plugboard.api.upstream.UpstreamClients;
import dev.plugboard.host.catalog.PublishedCatalog;
import dev.plugboard.host.dynamic.DynamicCatalogService;
import dev.plugboard.host.engine.Door;
import dev.plugboard.host.health.HealthPage;
import dev.plugboard.host.health.HealthParts;
import dev.plugboard.host.health.HostParts;
import dev.plugboard.host.health.PartStatus;
import dev.plugboard.host.health.PluginHealth;
import dev.plugboard.host.virtualserver.VirtualServers;
import dev.plugboard.host.logging.RequestLog;
import dev.plugboard.host.metrics.HostMetrics;
import java.util.function.Supplier;
import dev.plugboard.host.upstream.UpstreamClientService;
import dev.plugboard.host.embedding.LocalEmbeddings;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.config.PluginConfigs;
import dev.plugboard.host.admin.AdminAccess;
import dev.plugboard.host.admin.AdminKey;
import dev.plugboard.host.admin.http.AdminApi;
import dev.plugboard.host.admin.Modules;
import dev.plugboard.host.admin.PluginSettings;
import dev.plugboard.host.events.ChangeFeed;
import dev.plugboard.host.events.HostFeeds;
import dev.plugboard.host.deploy.BundleDeployer;
import dev.plugboard.host.deploy.DeployWatcher;
import dev.plugboard.host.deploy.Readiness;
import dev.plugboard.host.engine.EngineSettings;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.rest.RestApi;
import dev.plugboard.host.web.PluginRoutes;
import dev.plugboard.host.security.HttpGate;
import dev.plugboard.host.security.Security;
import dev.plugboard.host.security.http.KeysApi;
import dev.plugboard.api.search.SearchService;
import java.util.Optional;
import org.osgi.util.tracker.ServiceTracker;
import dev.plugboard.host.framework.EmbeddedFramework;
import dev.plugboard.host.graphql.GraphqlDoor;
import dev.plugboard.host.graphql.PluginExtensions;
import dev.plugboard.host.http.HttpFrontDoor;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.session.Sessions;
import dev.plugboard.host.store.SharedStateService;
import dev.plugboard.host.store.Store;
import dev.plugboard.host.store.StoreHealth;
import dev.plugboard.host.containment.PluginThreads;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.plugin.ComponentIntrospector;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;
import dev.plugboard.host.task.Tasks;
import dev.plugboard.host.websocket.McpWebSocketDoor;
import java.time.Clock;
import java.time.Duration;

/**
 * A running Plugboard host: the framework, the catalogue, the protocol engine, the deploy watcher
 * and, when asked, the HTTP front door. Closing it stops everything in reverse order.
 */
public final class Plugboard implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Plugboard.class.getName());

    /** The framework property that tells plugins where the host keeps its state (a folder path). */
    public static final String DATA_PROPERTY = "plugboard.data.dir";

    /** The framework property that tells plugins where the host's configuration folder is (a folder path). */
    public static final String CONFIG_PROPERTY = "plugboard.config.dir";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final JsonRpcCodec codec;
    private final HostConfig config;
    private EmbeddedFramework framework;
    private Catalog catalog;
    private Sessions sessions;
    private Store store;
    private McpEngine engine;
    private Operations operations;
    private BundleDeployer deployer;
    private Invocations invocations;
    private HttpFrontDoor http;
    private ChangeFeed changes;
    private Modules modules;
    private PluginSettings pluginSettings;
    private AdminAccess adminAccess;
    private volatile boolean ready;
    private PluginHealth pluginHealth;
    private volatile PluginExtensions graphqlPlugins;
    private Security security;
    private VirtualServers virtualServers;
    private final HealthParts healthParts = new HealthParts();
    private HostMetrics metrics;
    /** How many log records the admin API's log tail keeps. */
    private static final int RECENT_LOGS = 1000;
    private dev.plugboard.host.logging.RecentLogs recentLogs;

    private Plugboard(HostConfig config) {
        this.config = config;
        this.codec = new JsonRpcCodec(JsonRpcCodec.newMapper(), config.maxResultBytes());
    }

    /** The version of the host, from its jar. */
    public static String version() {
        String v = Plugboard.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * Starts a host.
     *
     * @param config the configuration
     * @param serveHttp whether to open the HTTP front door
     * @throws Exception when any part fails to start; what had started is stopped again
     */
    public static Plugboard start(HostConfig config, boolean serveHttp) throws Exception {
        long started = System.nanoTime();
        dev.plugboard.host.logging.RecentLogs logs = dev.plugboard.host.logging.RecentLogs.install(RECENT_LOGS);
        // The framework starts on a second CPU while the host builds its JSON mapper and reads its
        // security settings: it runs nothing of a plugin yet, and it is stopped again if start-up fails.
        FutureTask<EmbeddedFramework> framework = new FutureTask<>(() -> EmbeddedFramework.start(
                config.dataDir().resolve("framework"), config.systemDir(),
                Map.of(DATA_PROPERTY, config.dataDir().toAbsolutePath().toString(),
                        CONFIG_PROPERTY, config.configDir().toAbsolutePath().toString())));
        Thread.ofPlatform().name("plugboard-framework-start").start(framework);
        Plugboard p;
        try {
            p = new Plugboard(config);
        } catch (RuntimeException | Error e) {
            try {
                stopUnclaimed(framework, null);
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            logs.close();
            throw e;
        }
        p.recentLogs = p.own(logs);
        try {
            p.startParts(serveHttp, framework, started);
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    private void startParts(boolean serveHttp, FutureTask<EmbeddedFramework> starting, long started)
            throws Exception {
        AutoCloseable unclaimed = () -> stopUnclaimed(starting, framework);
        own(unclaimed);
        // Before anything a plugin could see, so that a server that must not start (security) says so first.
        security = own(Security.create(config.configDir(), config.dataDir(), codec.mapper(),
                AdminKey.loadOrCreate(config.dataDir()),
                !serveHttp || java.net.InetAddress.getByName(config.http().host()).isLoopbackAddress(),
                config.insecure()));
        adminAccess = security.adminAccess();
        security.watchConfig();
        // What needs no framework is built while the framework starts on the other thread.
        catalog = own(new Catalog(new ComponentIntrospector(codec.mapper(), config.maxConcurrentCalls()),
                config.drainTimeout(), config.swapWait()));
        invocations = own(new Invocations(config.calls(), new PluginThreads()));
        store = own(Store.open(config.store(), codec.mapper(), config.sessionIdleTimeout()));
        store.security().ifPresent(security::share);
        sessions = own(new Sessions(config.sessionIdleTimeout(), config.maxSessions(),
                config.maxSessionsPerClient(), config.maxClientDataBytes(), store.sessions()));
        engine = own(new McpEngine(new EngineSettings("plugboard", version(), config.instructions(), config.pageSize(),
                config.requestStateKey(), config.toolTimeout(), config.listTtl(), config.searchMode()), catalog,
                invocations, sessions, codec, own(new Tasks(store.tasks(), config.tasks(), Clock.systemUTC(),
                        Duration.ofSeconds(30)))));
        if (config.tracing().enabled()) {
            engine.trace(own(dev.plugboard.host.tracing.RequestTracer.start(config.tracing(), version())));
        }
        HostMetrics.JvmMeters jvmMeters = own(HostMetrics.jvm());
        framework = own(started(starting));
        invocations.watch(framework.context());
        catalog.track(framework.context());
        var events = framework.context().registerService(CatalogEvents.class, store.relay(catalog, engine), null);
        own(events::unregister);
        own(new PublishedCatalog(catalog)).publish(framework.context());
        var dynamicCatalog = framework.context().registerService(DynamicCatalog.class,
                new DynamicCatalogService(catalog, codec.mapper(), config.maxConcurrentCalls(), security.gates()), null);
        own(dynamicCatalog::unregister);
        var upstreamClients = framework.context().registerService(UpstreamClients.class,
                new UpstreamClientService(codec, version(), dev.plugboard.api.config.Secrets.of(config.configDir())),
                null);
        own(upstreamClients::unregister);
        pluginHealth = own(new PluginHealth(framework.context()));
        LocalEmbeddings embeddings = own(new LocalEmbeddings(config.embeddingModel(),
                config.dataDir().resolve("embeddings")));
        store.vectors().ifPresent(embeddings::share);
        var embeddingService = framework.context().registerService(EmbeddingService.class, embeddings, null);
        own(embeddingService::unregister);
        var sharedState = framework.context().registerService(SharedState.class,
                new SharedStateService(store.state()), null);
        own(sharedState::unregister);
        PluginConfigs pluginConfigs = own(new PluginConfigs(framework.context(), config.configDir()));
        pluginConfigs.start();
        deployer = own(new BundleDeployer(framework.context(), catalog, config.activationTimeout(),
                invocations.threads(), config.dataDir().resolve("scans"),
                config.home() == null ? null : config.home().resolve("scans")));
        changes = own(new ChangeFeed());
        own(HostFeeds.connect(changes, catalog, deployer));
        own(store.relayFeed(changes, deployer));
        modules = new Modules(deployer, catalog, config.bundlesDir(), config.admin());
        pluginSettings = new PluginSettings(config.configDir(), pluginConfigs);
        DeployWatcher watcher = new DeployWatcher(config.bundlesDir(), deployer, config.deploySettle(),
                config.deployPoll());
        ServiceTracker<SearchService, SearchService> searchTracker = new ServiceTracker<>(framework.context(),
                SearchService.class, null);
        searchTracker.open();
        own(searchTracker::close);
        Supplier<Optional<SearchService>> search = () -> Optional.ofNullable(searchTracker.getService());
        HostParts.addTo(healthParts, new HostParts.Sources(framework.context(), this::readiness, search,
                catalog::revision));
        if (!"memory".equals(store.health().kind())) {
            // named "redis": the shipped alert rule PlugboardRedisDown watches plugboard_health_up{part="redis"}
            own(healthParts.add("redis", () -> {
                StoreHealth shared = store.health();
                return shared.up() ? PartStatus.up(Map.of("detail", shared.detail()))
                        : PartStatus.degraded(shared.detail(), Map.of());
            }));
        }
        metrics = own(HostMetrics.start(jvmMeters, new HostMetrics.Sources(framework.context(), catalog, sessions,
                deployer, search, embeddings, healthParts)));
        engine.observe(RequestLog.around(metrics.requests()));
        metrics.bindCaches(engine.cacheLookups());
        store.bindMeters(metrics.registry());
        operations = new Operations(engine, catalog, codec.mapper(), config.pageSize(),
                () -> search.get().map(metrics::timed));
        if (serveHttp) {
            RestApi rest = own(new RestApi(operations, new dev.plugboard.host.door.ChangeFeed(changes), codec.mapper(),
                    config.http().maxBodyBytes(), config.http().keepAlive(), version()));
            PluginRoutes routes = own(new PluginRoutes(framework.context(), codec.mapper(), metrics.registry()));
            rest.describeRoutes(routes::resourceClasses);
            AdminApi.addTo(rest, modules, pluginSettings, adminAccess, codec.mapper());
            KeysApi.addTo(rest, security, codec.mapper());
            dev.plugboard.host.admin.http.AdminViews.addTo(rest, new dev.plugboard.host.admin.http.AdminViews.Sources(
                    recentLogs, pluginHealth::report,
                    () -> virtualServers == null ? Map.of() : virtualServers.report(), codec.mapper()));
            GraphqlDoor graphql = own(GraphqlDoor.create(new GraphqlDoor.Sources(operations.through(Door.GRAPHQL),
                    modules, pluginSettings, changes, adminAccess, this::readiness, codec.mapper(), config.pageSize(),
                    config.http().maxBodyBytes(), security)));
            graphqlPlugins = own(new PluginExtensions(framework.context(), graphql, metrics.registry()));
            own(healthParts.add("graphql", graphqlPlugins::health));
            graphqlPlugins.open();
            HttpGate gate = new HttpGate(security);
            McpWebSocketDoor mcpSockets = !config.webSocket().enabled() ? null : own(new McpWebSocketDoor(
                    config.webSocket(), engine, sessions, codec, gate, config.http().maxBodyBytes()));
            http = own(HttpFrontDoor.start(config.http(), engine, sessions, codec, this::readiness, rest, graphql,
                    gate, Map.of("/metrics", metrics.page(),
                            "/health", new HealthPage(healthParts, codec.mapper(), version())),
                    routes.open(), mcpSockets));
            virtualServers = own(VirtualServers.start(config, catalog, engine, invocations, codec, version(), http::endpoint));
            http.serveServers(virtualServers);
        } else {
            // stdio: the servers' engines without HTTP endpoints (plugboard stdio --server NAME)
            virtualServers = own(VirtualServers.start(config, catalog, engine, invocations, codec, version(), (e, s) -> null));
        }
        watcher.deployPresent();
        watcher.start();
        own(watcher);
        ready = true;
        if (http != null) {
            http.buildRest();
        }
        // Once the catalogue is indexed, what start-up allocated is returned (the idle footprint).
        own(dev.plugboard.host.containment.StartupGarbage.collectWhen(() -> search.get()
                .map(s -> s.indexedRevision() >= catalog.revision()).orElse(true), Duration.ofSeconds(30)));
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "Plugboard " + version() + " ready in " + millis + " ms: " + catalog.tools().all().size()
                + " tools from " + deployer.reports().size() + " deployed jar(s)"
                + (http == null ? "" : "; MCP at http://" + hostForUrl() + ":" + http.port() + "/mcp")
                + (http == null || !config.webSocket().enabled() ? "" : "; MCP over WebSocket at ws://" + hostForUrl()
                        + ":" + http.port() + McpWebSocketDoor.PATH));
    }

    private static EmbeddedFramework started(FutureTask<EmbeddedFramework> starting) throws Exception {
        try {
            return starting.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Stops the framework if start-up failed before it was handed over ({@code claimed} is null). */
    private static void stopUnclaimed(FutureTask<EmbeddedFramework> starting, EmbeddedFramework claimed)
            throws Exception {
        if (claimed != null) {
            return;
        }
        EmbeddedFramework orphan;
        try {
            orphan = starting.get();
        } catch (ExecutionException e) {
            return;
        }
        orphan.close();
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    private String hostForUrl() {
        String host = config.http().host();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Whether start-up deployment finished, and the state of every deployed jar. */
    public Readiness readiness() {
        java.util.List<dev.plugboard.host.deploy.BundleReport> reports = deployer == null ? java.util.List.of()
                : deployer.reports();
        PluginExtensions graphqlExtensions = graphqlPlugins;
        Readiness readiness = Readiness.of(ready, graphqlExtensions == null ? reports : graphqlExtensions.withProblems(reports),
                invocations == null ? java.util.List.of() : invocations.health(),
                pluginHealth == null ? Map.of() : pluginHealth.report());
        String securityProblem = security == null ? null : security.configProblem();
        if (securityProblem != null) {
            readiness = readiness.withConfigProblem(dev.plugboard.host.security.SecurityConfig.FILE, securityProblem);
        }
        StoreHealth shared = store == null ? null : store.health();
        return shared == null || "memory".equals(shared.kind()) ? readiness
                : readiness.withStore(shared.kind(), shared.up(), shared.detail());
    }

    /** The parts of the detailed {@code GET /health}; add one with {@link HealthParts#add}. */
    public HealthParts healthParts() {
        return healthParts;
    }

    /** The host's metrics ({@code GET /metrics}); its registry takes meters of other parts. */
    public HostMetrics metrics() {
        return metrics;
    }

    /** The bound HTTP port; -1 without the HTTP front door. */
    public int port() {
        return http == null ? -1 : http.port();
    }

    /** What the doors other than MCP (REST, GraphQL) do with the catalogue. */
    public Operations operations() {
        return operations;
    }

    /** The protocol engine, for transports. */
    public McpEngine engine() {
        return engine;
    }

    /** The sessions of this node. */
    public Sessions sessions() {
        return sessions;
    }

    /** Where sessions and change events are shared with other nodes; its {@code health()} is Redis's state. */
    public Store store() {
        return store;
    }

    /** The codec, for transports. */
    public JsonRpcCodec codec() {
        return codec;
    }

    /** The catalogue. */
    public Catalog catalog() {
        return catalog;
    }

    /** Runs calls into plugin code; its thread groups are the plugins' ({@link Invocations#threads()}). */
    public Invocations invocations() {
        return invocations;
    }

    /** The host's change feed: catalogue changes and module deployments, numbered, with replay. */
    public ChangeFeed changes() {
        return changes;
    }

    /** Module administration (list, install, update, start, stop, remove) over the deploy folder. */
    public Modules modules() {
        return modules;
    }

    /** The configuration of plugins ({@code config/<pid>.cfg}), read and written live. */
    public PluginSettings pluginSettings() {
        return pluginSettings;
    }

    /** The check every admin operation passes (the admin key, as a bearer token). */
    public AdminAccess adminAccess() {
        return adminAccess;
    }

    /** The engine of a virtual server of {@code virtual-servers.json} served now, for stdio. */
    public java.util.Optional<McpEngine> virtualServerEngine(String name) {
        return virtualServers == null ? java.util.Optional.empty() : virtualServers.engine(name);
    }

    /** Why no virtual server of that name is served: unknown, or why its entry cannot be used. */
    public String virtualServerMissing(String name) {
        return virtualServers == null ? "no virtual servers are served" : virtualServers.missing(name);
    }

    /** The security layer: who a request acts for, API keys, the audit log. */
    public Security security() {
        return security;
    }

    /** The configuration the host runs with. */
    public HostConfig config() {
        return config;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Stopping " + r.getClass().getSimpleName() + " failed", e);
            }
        }
    }
}
