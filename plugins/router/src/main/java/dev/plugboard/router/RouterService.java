package dev.plugboard.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.config.ConfigFileWatch;
import dev.plugboard.api.embedding.EmbeddingService;
import dev.plugboard.api.health.HealthContributor;
import dev.plugboard.api.store.SharedState;
import dev.plugboard.router.budget.Budgets;
import dev.plugboard.router.cache.ExactCache;
import dev.plugboard.router.config.ConfigFile;
import dev.plugboard.router.config.RouterConfig;
import dev.plugboard.router.conversation.Conversations;
import dev.plugboard.router.learned.Embedder;
import dev.plugboard.router.mcp.RouterTools;
import dev.plugboard.router.metrics.RouterMeters;
import dev.plugboard.router.provider.ProviderClient;
import dev.plugboard.router.routing.LearnedRoute;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The router of this bundle: follows {@code <config>/router.json} and serves a {@link Router} for
 * what it says, or none while the file is missing (the doors then answer 503 and the bundle costs
 * nothing). Keeps the exact cache, budgets and conversations (in {@code <data>/router/}) across
 * edits of the file. Reports under {@code plugins.router} in {@code /health/ready}.
 */
@Component(service = {RouterService.class, HealthContributor.class},
        property = HealthContributor.NAME + "=router")
public final class RouterService implements HealthContributor {

    private static final Logger LOG = Logger.getLogger(RouterService.class.getName());

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path file;
    private final Path data;
    private final RouterMeters meters;
    private final ProviderClient client = new ProviderClient(mapper, ProviderClient.defaultBreaker());
    private final Budgets budgets = new Budgets(Clock.systemUTC());
    private final ExecutorService background = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("router-background-", 0).factory());
    private final ConfigFileWatch watch;
    private volatile LearnedRoute learned;
    private volatile EmbeddingService embeddings;
    private volatile Embedder embedder;
    private volatile Router router;
    private volatile List<String> problems = List.of();
    private ExactCache cache;
    private RouterConfig.Cache cacheSettings;
    private Conversations conversations;
    private volatile SharedState shared;
    private final ComponentContext component;
    private boolean toolsEnabled;

    /** Starts following the file. */
    @Activate
    public RouterService(@Reference MeterRegistry registry, ComponentContext component) {
        this(registry, folder(component.getBundleContext(), "plugboard.config.dir", "config"),
                folder(component.getBundleContext(), "plugboard.data.dir", "data"), component);
    }

    /**
     * A router outside a framework (tests).
     *
     * @param configDir the folder of {@code router.json}
     * @param dataDir the folder under which {@code router/} keeps conversations
     */
    public RouterService(MeterRegistry registry, Path configDir, Path dataDir) {
        this(registry, configDir, dataDir, null);
    }

    private RouterService(MeterRegistry registry, Path configDir, Path dataDir, ComponentContext component) {
        this.component = component;
        this.meters = new RouterMeters(registry);
        this.file = configDir.resolve(ConfigFile.NAME);
        this.data = dataDir.resolve("router");
        this.watch = ConfigFileWatch.follow(file, "router", this::apply);
    }

    private static Path folder(BundleContext context, String property, String otherwise) {
        String value = context.getProperty(property);
        return Path.of(value == null ? otherwise : value);
    }

    /** A learned router came (from package {@code dev.plugboard.router.learned} or another bundle). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindLearned(LearnedRoute route) {
        this.learned = route;
    }

    void unbindLearned(LearnedRoute route) {
        if (this.learned == route) {
            this.learned = null;
        }
    }

    /** The host's embedding service came: the semantic cache may use it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindEmbeddings(EmbeddingService service) {
        embeddings = service;
        embedder = Embedder.of(service::embedQuery, service::embedDocuments);
    }

    void unbindEmbeddings(EmbeddingService service) {
        if (embeddings == service) {
            embeddings = null;
            embedder = null;
        }
    }

    /**
     * The host's shared state came: when it is shared with other nodes (Redis), the exact cache,
     * conversations' hot tier and budgets go there; a state of this node alone changes nothing.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindShared(SharedState state) {
        if (state.shared()) {
            share(state);
        }
    }

    void unbindShared(SharedState state) {
        if (shared == state) {
            share(null);
        }
    }

    private synchronized void share(SharedState state) {
        shared = state;
        budgets.share(state);
        if (cache != null) {
            cache.share(state, mapper);
        }
        if (conversations != null) {
            conversations.share(state);
        }
        LOG.info(() -> state == null ? "The model router keeps its cache, conversations and budgets on this node"
                : "The model router shares its exact cache, conversations and budgets through the host's store");
    }

    /** Embeds with this instead of the host's service (tests). */
    void useEmbedder(Embedder e) {
        embedder = e;
    }

    /** Applies what the file now says; a file that cannot be read keeps the running router. */
    synchronized void apply(byte[] content) {
        ConfigFile.Parsed parsed = ConfigFile.parse(content, mapper, file.getParent(), System::getenv);
        parsed.problems().forEach(p -> LOG.warning(() -> ConfigFile.NAME + ": " + p));
        problems = parsed.problems();
        if (parsed.unreadable()) {
            return;
        }
        if (parsed.config().isEmpty()) {
            router = null;
            announce(false);
            LOG.info(() -> "The model router is off: " + file + " is missing or empty");
            return;
        }
        RouterConfig config = parsed.config().get();
        if (!config.cache().equals(cacheSettings)) {
            cache = new ExactCache(config.cache().maxEntries(), config.cache().ttl(), System::nanoTime);
            cache.share(shared, mapper);
            cacheSettings = config.cache();
        }
        if (conversations == null) {
            Path store = data.resolve("conversations.mv.db");
            try {
                conversations = new Conversations(store, config.conversations().hotEntries(), mapper);
                conversations.share(shared);
            } catch (RuntimeException e) {
                String why = "conversations are not kept: " + store + " cannot be opened (another process may hold it)";
                LOG.warning(why);
                List<String> all = new java.util.ArrayList<>(problems);
                all.add(why);
                problems = List.copyOf(all);
            }
        }
        budgets.configure(config.budgets());
        router = new Router(config, client, mapper, cache, budgets, conversations, meters,
                () -> Optional.ofNullable(learned), background, () -> Optional.ofNullable(embedder));
        announce(true);
        LOG.info(() -> "The model router serves " + config.tiers().keySet() + " from " + file);
    }

    /**
     * Enables or disables the MCP tools' component ({@link RouterTools}, disabled in its description),
     * so that the catalogue shows model tools only while a router is configured. A disabled component
     * is the designed off state: the host reports no unsatisfied reference for it.
     */
    private void announce(boolean on) {
        if (component == null || on == toolsEnabled) {
            return;
        }
        toolsEnabled = on;
        try {
            if (on) {
                component.enableComponent(RouterTools.class.getName());
            } else {
                component.disableComponent(RouterTools.class.getName());
            }
        } catch (IllegalStateException e) {
            // the bundle is stopping: its components go with it
        }
    }

    /**
     * The running router.
     *
     * @throws RouterException 503 while {@code router.json} is missing or has no usable tier
     */
    public Router router() throws RouterException {
        Router r = router;
        if (r == null) {
            throw new RouterException(503, "api_error", "router_not_configured", 0,
                    "the model router is not configured: write " + ConfigFile.NAME + " in the config folder "
                    + "(see docs/router.md)" + (problems.isEmpty() ? "" : "; problems: " + String.join("; ", problems)));
        }
        return r;
    }

    /** The budgets: what each caller has spent in each (shared through the host's store when it is). */
    public Budgets budgets() {
        return budgets;
    }

    /** The conversations, once the router was configured. */
    public synchronized Optional<Conversations> conversations() {
        return Optional.ofNullable(conversations);
    }

    @Override
    public Object health() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        Router r = router;
        out.put("state", r == null ? "off" : "serving");
        if (r != null) {
            Map<String, Object> models = new LinkedHashMap<>();
            r.config().models().keySet().forEach(m -> models.put(m, client.breaker(m).getState().name()));
            out.put("breakers", models);
            out.put("tiers", List.copyOf(r.config().tiers().keySet()));
            out.put("learned", r.config().learned().isEmpty() ? "not configured"
                    : learned == null ? "unavailable" : learned.status());
        }
        if (!problems.isEmpty()) {
            out.put("problems", problems);
        }
        return out;
    }

    /** Stops following the file and closes the conversation store. */
    @Deactivate
    public void deactivate() {
        watch.close();
        background.shutdownNow();
        synchronized (this) {
            router = null;
            announce(false);
            if (conversations != null) {
                conversations.close();
            }
        }
        client.close();
    }
}
