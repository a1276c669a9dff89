package dev.plugboard.host.registry;

import dev.plugboard.api.McpProvider;
import dev.plugboard.host.tool.ToolIntrospector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The catalogue of tools: the one truth every front door reads.
 *
 * <p>Tools arrive from plugin services marked {@link McpProvider} (tracked in the framework) and from
 * the host itself. When several providers offer the same name, the one with the highest service
 * ranking wins, then the oldest; the others wait behind it. Listeners hear of every change. Reads are
 * lock-free snapshots; thread-safe.
 */
public final class ToolRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ToolRegistry.class.getName());

    /** Hears that the catalogue changed. Called on the thread that changed it; must not block. */
    @FunctionalInterface
    public interface Listener {
        /** The set of tools, or one of them, changed. */
        void toolsChanged();
    }

    /** Removes tools that were registered together. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private record Snapshot(List<RegisteredTool> sorted, Map<String, RegisteredTool> byName) {
    }

    private final ToolIntrospector introspector;
    private final int maxConcurrentCalls;
    private final Duration drainTimeout;
    private final Object lock = new Object();
    private final Map<String, List<RegisteredTool>> candidates = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, List<String>> problemsByService = new ConcurrentHashMap<>();
    private final Map<Long, Long> bundleOfService = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of());
    private ServiceTracker<Object, Registration> tracker;

    /**
     * @param introspector reads tool methods from plugin components
     * @param maxConcurrentCalls how many calls each tool may run at once
     * @param drainTimeout how long calls in flight may run on once their provider goes away
     */
    public ToolRegistry(ToolIntrospector introspector, int maxConcurrentCalls, Duration drainTimeout) {
        this.introspector = introspector;
        this.maxConcurrentCalls = maxConcurrentCalls;
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

    /** Every active tool, ordered by name. */
    public List<RegisteredTool> tools() {
        return snapshot.sorted();
    }

    /** The active tool of that name. */
    public Optional<RegisteredTool> find(String name) {
        return Optional.ofNullable(snapshot.byName().get(name));
    }

    /** Registers a listener until the returned handle is closed. */
    public AutoCloseable addListener(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Problems found in the tools of a bundle's services (bad names, unsupported types, ...). */
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
     * Adds tools from one provider.
     *
     * @return closes to remove them again, draining their calls in flight
     */
    public Registration register(Provider provider, List<ToolSpec> specs) {
        List<RegisteredTool> added = specs.stream()
                .map(s -> new RegisteredTool(s.descriptor(), s.handler(), provider, maxConcurrentCalls))
                .toList();
        synchronized (lock) {
            for (RegisteredTool tool : added) {
                List<RegisteredTool> list = candidates.computeIfAbsent(tool.name(), n -> new ArrayList<>());
                list.add(tool);
                list.sort((a, b) -> Provider.compare(a.provider(), b.provider()));
                if (list.get(0) != tool) {
                    LOG.warning(() -> "Tool '" + tool.name() + "' from " + provider + " is shadowed by the one from "
                            + list.get(0).provider() + "; it becomes active if that one goes away");
                }
            }
            rebuild();
        }
        if (!added.isEmpty()) {
            fire();
        }
        return () -> unregister(provider, added);
    }

    private void unregister(Provider provider, List<RegisteredTool> tools) {
        synchronized (lock) {
            for (RegisteredTool tool : tools) {
                List<RegisteredTool> list = candidates.get(tool.name());
                if (list != null) {
                    list.remove(tool);
                    if (list.isEmpty()) {
                        candidates.remove(tool.name());
                    }
                }
            }
            rebuild();
        }
        if (!tools.isEmpty()) {
            fire();
        }
        int cancelled = provider.close(drainTimeout);
        if (cancelled > 0) {
            LOG.warning(() -> cancelled + " call(s) to " + provider + " did not finish within " + drainTimeout
                    + " of its removal and were cancelled");
        }
    }

    private void rebuild() {
        Map<String, RegisteredTool> byName = new LinkedHashMap<>();
        candidates.keySet().stream().sorted().forEach(name -> byName.put(name, candidates.get(name).get(0)));
        List<RegisteredTool> sorted = List.copyOf(byName.values());
        snapshot = new Snapshot(sorted, Map.copyOf(byName));
    }

    private void fire() {
        for (Listener l : listeners) {
            try {
                l.toolsChanged();
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
            Object component = context.getService(ref);
            if (component == null) {
                return null;
            }
            Bundle bundle = ref.getBundle();
            long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
            Object rankingProperty = ref.getProperty(Constants.SERVICE_RANKING);
            int ranking = rankingProperty instanceof Integer i ? i : 0;
            Provider provider = new Provider(bundle.getSymbolicName(), bundle.getVersion().toString(),
                    bundle.getBundleId(), serviceId, ranking);
            ToolIntrospector.Introspection found = introspector.introspect(component);
            bundleOfService.put(serviceId, bundle.getBundleId());
            if (!found.problems().isEmpty()) {
                problemsByService.put(serviceId, found.problems());
                found.problems().forEach(p -> LOG.warning(() -> "Bundle " + bundle.getSymbolicName() + ": " + p));
            }
            if (found.tools().isEmpty()) {
                LOG.warning(() -> "Service " + serviceId + " of " + bundle.getSymbolicName()
                        + " is marked @McpProvider but offers no usable @Tool method");
            }
            LOG.fine(() -> "Registered " + found.tools().size() + " tool(s) from " + provider);
            return register(provider, found.tools());
        }

        @Override
        public void modifiedService(ServiceReference<Object> ref, Registration registration) {
            // tool metadata comes from the class, not from service properties
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
