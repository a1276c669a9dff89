package dev.plugboard.host.catalog;

import dev.plugboard.api.McpProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * The catalogue: tools, resources, resource templates and prompts. The one truth every front door
 * reads.
 *
 * <p>Entries arrive from plugin services marked {@link McpProvider} (tracked in the framework) and
 * from the host itself. When several providers offer the same key, the one with the highest service
 * ranking wins, then the oldest; the others wait behind it. Listeners hear of every change. Reads
 * are lock-free snapshots; thread-safe.
 */
public final class Catalog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Catalog.class.getName());

    /** Hears that part of the catalogue changed. Called on the thread that changed it; must not block. */
    @FunctionalInterface
    public interface Listener {
        /** Entries of these kinds were added or removed. */
        void changed(Set<Kind> kinds);
    }

    /** Removes entries that were registered together. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final Entries<RegisteredTool> tools = new Entries<>("Tool");
    private final Entries<RegisteredResource> resources = new Entries<>("Resource");
    private final Entries<RegisteredTemplate> templates = new Entries<>("Resource template");
    private final Entries<RegisteredPrompt> prompts = new Entries<>("Prompt");
    private final BiFunction<Object, Provider, Offerings> introspector;
    private final Duration drainTimeout;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong revision = new AtomicLong();
    private final Map<Long, List<String>> problemsByService = new ConcurrentHashMap<>();
    private final Map<Long, Long> bundleOfService = new ConcurrentHashMap<>();
    private ServiceTracker<Object, Registration> tracker;

    /**
     * @param introspector reads what a plugin component offers, for a provider
     * @param drainTimeout how long calls in flight may run on once their provider goes away
     */
    public Catalog(BiFunction<Object, Provider, Offerings> introspector, Duration drainTimeout) {
        this.introspector = introspector;
        this.drainTimeout = drainTimeout;
    }

    /** Starts following the provider services of a framework. */
    public void track(BundleContext context) {
        try {
            var filter = FrameworkUtil.createFilter("(" + McpProvider.PROPERTY + "=true)");
            tracker = new ServiceTracker<>(context, filter, new Customizer(context));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        tracker.open(true);
    }

    /** The tools. */
    public Entries<RegisteredTool> tools() {
        return tools;
    }

    /** The fixed resources. */
    public Entries<RegisteredResource> resources() {
        return resources;
    }

    /** The resource templates. */
    public Entries<RegisteredTemplate> templates() {
        return templates;
    }

    /** The prompts. */
    public Entries<RegisteredPrompt> prompts() {
        return prompts;
    }

    /** The active tool of that name. */
    public Optional<RegisteredTool> tool(String name) {
        return tools.find(name);
    }

    /**
     * A number that grows with every change, advanced after the entries change and before any
     * listener hears of it: whoever has heard of a change sees its revision.
     */
    public long revision() {
        return revision.get();
    }

    /** Registers a listener until the returned handle is closed. */
    public AutoCloseable addListener(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells the listeners that entries of these kinds changed, though no bundle came or went. */
    public void announce(Set<Kind> kinds) {
        fire(kinds);
    }

    /** Problems found in the offerings of a bundle's services (bad names, unsupported types, ...). */
    public List<String> problems(long bundleId) {
        List<String> out = new ArrayList<>();
        problemsByService.forEach((service, problems) -> {
            if (bundleOfService.getOrDefault(service, -1L) == bundleId) {
                out.addAll(problems);
            }
        });
        return out;
    }

    /**
     * Adds everything one provider offers.
     *
     * @return closes to remove it again, draining its calls in flight
     */
    public Registration register(Provider provider, Offerings offerings) {
        tools.add(offerings.tools());
        resources.add(offerings.resources());
        templates.add(offerings.templates());
        prompts.add(offerings.prompts());
        Set<Kind> kinds = kinds(offerings);
        if (!kinds.isEmpty()) {
            fire(kinds);
        }
        return () -> unregister(provider, offerings, kinds);
    }

    private void unregister(Provider provider, Offerings offerings, Set<Kind> kinds) {
        tools.remove(offerings.tools());
        resources.remove(offerings.resources());
        templates.remove(offerings.templates());
        prompts.remove(offerings.prompts());
        if (!kinds.isEmpty()) {
            fire(kinds);
        }
        int cancelled = provider.close(drainTimeout);
        if (cancelled > 0) {
            LOG.warning(() -> cancelled + " call(s) to " + provider + " did not finish within " + drainTimeout
                    + " of its removal and were cancelled");
        }
    }

    private static Set<Kind> kinds(Offerings o) {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        if (!o.tools().isEmpty()) {
            kinds.add(Kind.TOOLS);
        }
        if (!o.resources().isEmpty() || !o.templates().isEmpty()) {
            kinds.add(Kind.RESOURCES);
        }
        if (!o.prompts().isEmpty()) {
            kinds.add(Kind.PROMPTS);
        }
        return kinds;
    }

    private void fire(Set<Kind> kinds) {
        revision.incrementAndGet();
        for (Listener l : listeners) {
            try {
                l.changed(kinds);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A catalogue listener failed", e);
            }
        }
    }

    @Override
    public void close() {
        if (tracker != null) {
            tracker.close();
        }
    }

    private final class Customizer implements ServiceTrackerCustomizer<Object, Registration> {

        private final BundleContext context;

        Customizer(BundleContext context) {
            this.context = context;
        }

        @Override
        public Registration addingService(ServiceReference<Object> ref) {
            Bundle bundle = ref.getBundle();
            long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
            Object component = context.getService(ref);
            if (component == null) {
                LOG.warning(() -> "Service " + serviceId + " of " + bundle.getSymbolicName()
                        + " could not be activated; see the bundle's status in /health/ready");
                return null;
            }
            Object rankingProperty = ref.getProperty(Constants.SERVICE_RANKING);
            int ranking = rankingProperty instanceof Integer i ? i : 0;
            Object metaProperty = ref.getProperty(McpProvider.META);
            boolean meta = Boolean.TRUE.equals(metaProperty) || "true".equals(metaProperty);
            Provider provider = new Provider(bundle.getSymbolicName(), bundle.getVersion().toString(),
                    bundle.getBundleId(), serviceId, ranking, meta);
            Offerings found = introspector.apply(component, provider);
            bundleOfService.put(serviceId, bundle.getBundleId());
            if (!found.problems().isEmpty()) {
                problemsByService.put(serviceId, found.problems());
                found.problems().forEach(p -> LOG.warning(() -> "Bundle " + bundle.getSymbolicName() + ": " + p));
            }
            if (found.isEmpty()) {
                LOG.warning(() -> "Service " + serviceId + " of " + bundle.getSymbolicName()
                        + " is marked @McpProvider but offers no usable tool, resource or prompt");
            }
            return register(provider, found);
        }

        @Override
        public void modifiedService(ServiceReference<Object> ref, Registration registration) {
            // what a component offers comes from its class, not from service properties
        }

        @Override
        public void removedService(ServiceReference<Object> ref, Registration registration) {
            long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
            try {
                registration.close();
            } finally {
                problemsByService.remove(serviceId);
                bundleOfService.remove(serviceId);
                context.ungetService(ref);
            }
        }
    }
}
