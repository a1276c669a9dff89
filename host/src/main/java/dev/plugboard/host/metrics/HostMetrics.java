package dev.plugboard.host.metrics;

import dev.plugboard.api.search.SearchRequest;
import dev.plugboard.api.search.SearchHit;
import dev.plugboard.api.search.SearchService;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.deploy.BundleDeployer;
import dev.plugboard.host.deploy.BundleReport;
import dev.plugboard.host.deploy.DeployEvent;
import dev.plugboard.host.embedding.LocalEmbeddings;
import dev.plugboard.host.engine.RequestObserver;
import dev.plugboard.host.health.HealthParts;
import dev.plugboard.host.health.PartStatus;
import dev.plugboard.host.http.HttpFrontDoor;
import dev.plugboard.host.session.Sessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The host's metrics: one Micrometer registry in Prometheus format, served at {@code GET /metrics}.
 * It times every request ({@link #requests()}, the engine's {@link RequestObserver}), follows
 * sessions, streams, deployments, bundles, the search plugin, the embedding cache and the health
 * parts, binds the JVM and process meters, and offers the registry to plugins as a
 * {@code io.micrometer.core.instrument.MeterRegistry} service (one view per bundle, whose meters
 * leave with the bundle).
 */
public final class HostMetrics implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HostMetrics.class.getName());
    private static final List<String> BUNDLE_STATES = List.of("ACTIVE", "RESOLVED", "INSTALLED", "STARTING",
            "STOPPING", "FAILED");

    /**
     * What the host's meters read.
     *
     * @param framework the system bundle's context, where plugins find the registry
     * @param catalog the catalogue (tool names that may be tags, tool count, revision)
     * @param sessions the sessions of this node
     * @param deployer the deployer (events, bundle states)
     * @param search the search plugin's service, when it runs
     * @param embeddings the embedding service (its cache)
     * @param health the health parts, each a gauge
     */
    public record Sources(BundleContext framework, Catalog catalog, Sessions sessions, BundleDeployer deployer,
            Supplier<Optional<SearchService>> search, LocalEmbeddings embeddings, HealthParts health) {
    }

    /**
     * The registry with the JVM's own meters, which need nothing of the host: made while the OSGi
     * framework starts ({@link #jvm}), then handed to {@link #start}, which owns it from there.
     */
    public static final class JvmMeters implements AutoCloseable {
        private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private final JvmGcMetrics gc = new JvmGcMetrics();

        private JvmMeters() {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }

        /** Closes what was made, for a start that fails before {@link #start}; closing twice is harmless. */
        @Override
        public void close() {
            gc.close();
            registry.close();
        }
    }

    private final PrometheusMeterRegistry registry;
    private final Deque<AutoCloseable> closing = new ArrayDeque<>();
    private final RequestMeters requests;
    private final Timer searches;
    private final Map<DeployEvent.Action, Counter> deployEvents = new EnumMap<>(DeployEvent.Action.class);
    private final Map<String, Long> deploying = new ConcurrentHashMap<>();
    private final Timer deployedStarted;
    private final Timer deployedFailed;

    private HostMetrics(JvmMeters jvm, Sources sources) {
        registry = jvm.registry;
        closing.push(jvm.gc);

        Catalog catalog = sources.catalog();
        requests = new RequestMeters(registry, name -> catalog.tool(name).isPresent());
        Gauge.builder(MeterNames.SESSIONS, sources.sessions(), Sessions::size)
                .description("Open sessions (session-based revisions)").register(registry);
        Gauge.builder(MeterNames.SSE_STREAMS, HttpFrontDoor::openStreams)
                .description("Open Server-Sent Event streams").register(registry);
        Gauge.builder(MeterNames.TOOLS, catalog, c -> c.tools().all().size())
                .description("Tools in the catalogue").register(registry);

        BundleDeployer deployer = sources.deployer();
        for (DeployEvent.Action action : DeployEvent.Action.values()) {
            deployEvents.put(action, Counter.builder(MeterNames.DEPLOY_EVENTS).description("Deployment events")
                    .tag("action", action.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        deployedStarted = deployTimer("started");
        deployedFailed = deployTimer("failed");
        closing.push(deployer.addListener(this::deployed));
        for (String state : BUNDLE_STATES) {
            Gauge.builder(MeterNames.BUNDLES, deployer, d -> count(d.reports(), state))
                    .description("Jars in the deploy folder by state (FAILED: refused or failed to start)")
                    .tag("state", state).register(registry);
        }

        searches = Timer.builder(MeterNames.SEARCH).description("Catalogue searches through the search plugin")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        Supplier<Optional<SearchService>> search = sources.search();
        Gauge.builder(MeterNames.SEARCH_INDEX_LAG, () -> search.get()
                .map(s -> Math.max(0, catalog.revision() - s.indexedRevision())).orElse(-1L))
                .description("Catalogue revisions the search index is behind (-1: no search plugin)")
                .register(registry);
        Gauge.builder(MeterNames.SEARCH_INDEXED_REVISION, () -> search.get().map(SearchService::indexedRevision)
                .orElse(-1L)).description("The catalogue revision the search index reached (-1: no search plugin)")
                .register(registry);

        LocalEmbeddings embeddings = sources.embeddings();
        FunctionCounter.builder(MeterNames.EMBEDDING_CACHE, embeddings, LocalEmbeddings::cacheHits)
                .description("Embedding cache look-ups").tag("result", "hit").register(registry);
        FunctionCounter.builder(MeterNames.EMBEDDING_CACHE, embeddings, LocalEmbeddings::cacheMisses)
                .description("Embedding cache look-ups").tag("result", "miss").register(registry);
        Gauge.builder(MeterNames.EMBEDDING_CACHE_SIZE, embeddings, LocalEmbeddings::cached)
                .description("Vectors in the embedding cache").register(registry);

        HealthParts health = sources.health();
        health.onAdd(part -> Gauge.builder(MeterNames.HEALTH, health, h -> up(h.check(part)))
                .description("1 when a part of the server is up or degraded, 0 when it is down or gone")
                .tag("part", part).register(registry));

        ServiceRegistration<?> service = sources.framework().registerService(MeterRegistry.class.getName(),
                new PluginRegistries(registry), null);
        closing.push(service::unregister);
    }

    /** Starts the host's metrics. */
    public static HostMetrics start(JvmMeters jvm, Sources sources) {
        return new HostMetrics(jvm, sources);
    }

    /** The registry with the JVM's meters, to be handed to {@link #start}. */
    public static JvmMeters jvm() {
        return new JvmMeters();
    }

    /** The engine's observer: times every request. */
    public RequestObserver requests() {
        return requests;
    }

    /**
     * Counts the look-ups in the cache of results (tool results and resource reads), by what was
     * cached: {@code plugboard_result_cache_total{cache, result}}.
     */
    public void bindCaches(Map<String, dev.plugboard.host.tool.CacheLookups> caches) {
        caches.forEach((cache, lookups) -> {
            FunctionCounter.builder(MeterNames.RESULT_CACHE, lookups, dev.plugboard.host.tool.CacheLookups::hits)
                    .description("Look-ups in the cache of results").tag("cache", cache).tag("result", "hit")
                    .register(registry);
            FunctionCounter.builder(MeterNames.RESULT_CACHE, lookups, dev.plugboard.host.tool.CacheLookups::misses)
                    .description("Look-ups in the cache of results").tag("cache", cache).tag("result", "miss")
                    .register(registry);
        });
    }

    /** The registry, for parts of the host that add meters of their own (such as a store). */
    public MeterRegistry registry() {
        return registry;
    }

    /** {@code GET /metrics}: the Prometheus text format. */
    public HttpHandler page() {
        return new MetricsPage(registry);
    }

    /** The search plugin's service timed: what {@code plugboard_search_seconds} measures. */
    public SearchService timed(SearchService search) {
        return new SearchService() {
            @Override
            public List<SearchHit> search(SearchRequest request) {
                long started = System.nanoTime();
                try {
                    return search.search(request);
                } finally {
                    searches.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public long indexedRevision() {
                return search.indexedRevision();
            }
        };
    }

    private void deployed(DeployEvent event) {
        deployEvents.get(event.action()).increment();
        String file = event.file();
        switch (event.action()) {
            case INSTALLED, UPDATED -> deploying.putIfAbsent(file, System.nanoTime());
            case STARTED, FAILED -> {
                Long since = deploying.remove(file);
                if (since != null) {
                    (event.action() == DeployEvent.Action.STARTED ? deployedStarted : deployedFailed)
                            .record(Duration.ofNanos(System.nanoTime() - since));
                }
            }
            case STOPPED, REMOVED -> deploying.remove(file);
        }
    }

    private Timer deployTimer(String outcome) {
        return Timer.builder(MeterNames.DEPLOY_DURATION).description("From a jar's install or update to its start or failure")
                .tag("outcome", outcome).register(registry);
    }

    private static double count(List<BundleReport> reports, String state) {
        return reports.stream().filter(r -> state.equals(r.error() == null ? r.state() : "FAILED")).count();
    }

    private static double up(PartStatus status) {
        return status != null && status.state() != PartStatus.State.DOWN ? 1 : 0;
    }

    @Override
    public void close() {
        while (!closing.isEmpty()) {
            try {
                closing.pop().close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "Closing a meter source failed", e);
            }
        }
        registry.close();
    }
}
