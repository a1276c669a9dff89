package dev.plugboard.router.learned;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.config.ConfigFileWatch;
import dev.plugboard.api.embedding.EmbeddingService;
import dev.plugboard.router.config.ConfigFile;
import dev.plugboard.router.config.RouterConfig;
import dev.plugboard.router.routing.LearnedRoute;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Trains the learned router that {@code config/router.json}'s {@code learned} block asks for, with the
 * host's embedding service, and registers it as the router's {@link LearnedRoute}. Follows the file and
 * the labelled examples it names ({@code learned.examples}, relative to the config folder): either
 * changing retrains, on a background thread, while the router last trained keeps judging (until the
 * first is trained the default tier answers and {@code /health/ready} says {@code training}).
 */
@Component(service = {})
public final class LearnedRouteComponent implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LearnedRouteComponent.class.getName());

    /** What the {@code learned} block asks for. */
    private record Plan(RouterConfig.Learned settings, Path examples) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final Embedder embedder;
    private final Path configDir;
    private final TrainedRoute route;
    private final ExecutorService training = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("router-learned-training").factory());
    private final ConfigFileWatch configWatch;
    private final ServiceRegistration<LearnedRoute> registration;
    private Plan plan;
    private ConfigFileWatch examplesWatch;
    private byte[] examples;
    private long generation;

    /** Registers the route and starts following {@code router.json}. */
    @Activate
    public LearnedRouteComponent(@Reference EmbeddingService embeddings, BundleContext context) {
        this(Embedder.of(embeddings::embedQuery, embeddings::embedDocuments),
                Path.of(Objects.requireNonNullElse(context.getProperty("plugboard.config.dir"), "config")), context);
    }

    /** A trainer outside a framework (tests): {@link #route()} is what would be registered. */
    LearnedRouteComponent(Embedder embedder, Path configDir) {
        this(embedder, configDir, null);
    }

    private LearnedRouteComponent(Embedder embedder, Path configDir, BundleContext context) {
        this.embedder = embedder;
        this.configDir = configDir;
        this.route = new TrainedRoute(embedder);
        this.registration = context == null ? null : context.registerService(LearnedRoute.class, route, null);
        this.configWatch = ConfigFileWatch.follow(configDir.resolve(ConfigFile.NAME), "router", this::configChanged);
    }

    /** The route judged with. */
    LearnedRoute route() {
        return route;
    }

    /** The state served (tests). */
    TrainedRoute.State state() {
        return route.state();
    }

    private void configChanged(byte[] content) {
        ConfigFileWatch stale;
        synchronized (this) {
            stale = examplesWatch;
            apply(content);
            if (stale == examplesWatch) {
                stale = null;
            }
        }
        if (stale != null) {
            stale.close(); // outside the lock: its thread may be waiting for it
        }
    }

    private void apply(byte[] content) {
        ConfigFile.Parsed parsed = ConfigFile.parse(content, mapper, configDir, System::getenv);
        if (parsed.unreadable()) {
            return; // the router keeps its configuration, so this keeps its training
        }
        Optional<RouterConfig.Learned> learned = parsed.config().flatMap(RouterConfig::learned);
        Plan next = learned.map(l -> new Plan(l, l.examples() == null ? null : configDir.resolve(l.examples())))
                .orElse(null);
        if (Objects.equals(next, plan)) {
            return;
        }
        Path before = plan == null ? null : plan.examples();
        plan = next;
        if (next == null || next.examples() == null) {
            forgetExamples();
            generation++;
            route.set(new TrainedRoute.State(null, null, next == null ? "idle: router.json has no learned block"
                    : "no examples: learned.examples in router.json names no file"));
            return;
        }
        if (next.examples().equals(before) && examplesWatch != null) {
            train(); // only the settings changed: the examples are the ones read last
            return;
        }
        forgetExamples();
        examplesWatch = ConfigFileWatch.follow(next.examples(), "router",
                bytes -> examplesChanged(next.examples(), bytes));
    }

    private synchronized void examplesChanged(Path file, byte[] content) {
        if (plan == null || !file.equals(plan.examples())) {
            return; // a file no longer followed
        }
        examples = content;
        train();
    }

    /** Trains on the examples read last, in the background; a newer training supersedes it. */
    private synchronized void train() {
        long mine = ++generation;
        Plan p = plan;
        byte[] content = examples;
        TrainedRoute.State current = route.state();
        route.set(new TrainedRoute.State(current.router(), current.threshold(),
                current.router() == null ? "training" : "available; retraining"));
        training.execute(() -> {
            TrainedRoute.State result;
            try {
                if (content == null || content.length == 0) {
                    throw new IllegalArgumentException("it is missing or empty");
                }
                List<LabelledPrompt> labelled = LabelledExamples.parse(content, mapper);
                LearnedRouter trained = LearnedRouter.train(labelled, embedder);
                LearnedRouter.Threshold threshold = trained.calibrate(p.settings().targetStrongShare());
                result = new TrainedRoute.State(trained, threshold, String.format(Locale.ROOT,
                        "available: %d examples, threshold %.3f sends %.0f%% of them to %s", trained.size(),
                        threshold.score(), 100 * threshold.strongShare(), p.settings().strongTier()));
                LOG.info(() -> "The learned router is trained on " + trained.size() + " examples from " + p.examples());
            } catch (RuntimeException e) {
                String why = "the examples file " + p.examples() + " cannot be used: " + e.getMessage();
                LOG.warning(why);
                result = current.router() == null ? new TrainedRoute.State(null, null, "failed: " + why)
                        : new TrainedRoute.State(current.router(), current.threshold(),
                                "available (previous examples); retraining failed: " + why);
            }
            synchronized (this) {
                if (mine == generation) {
                    route.set(result);
                }
            }
        });
    }

    /** Stops using the examples read; the caller closes {@link #examplesWatch}'s old value. */
    private void forgetExamples() {
        examplesWatch = null;
        examples = null;
    }

    /** Withdraws the route and stops following the files. */
    @Deactivate
    @Override
    public void close() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // the bundle is stopping: the framework withdrew it already
            }
        }
        configWatch.close();
        ConfigFileWatch last;
        synchronized (this) {
            last = examplesWatch;
            plan = null;
            forgetExamples();
        }
        if (last != null) {
            last.close();
        }
        training.shutdownNow();
    }
}
