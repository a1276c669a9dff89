package dev.plugboard.host.catalog;

import dev.plugboard.api.McpProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;
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
 *
 * <p>The deployer wraps each install and update of a bundle in a {@link Change}: the listeners hear of
 * it once, at its end, and only if what the catalogue lists differs. During an update the tools the
 * old version offered are <em>held</em>: a caller asking for one waits ({@link #awaitTool}, bounded)
 * for the new version instead of being told it is unknown. A tool that disappears is remembered
 * (a bounded number of names), so that its callers learn which plugin took it away.
 */
public final class Catalog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Catalog.class.getName());

    /** How many names of tools that went away are remembered for their callers. */
    static final int MAX_DEPARTED = 1024;

    /** Completes a waiting caller off the thread that changed the catalogue (a deploy worker). */
    private static final Executor WAKE = task -> Thread.ofVirtual().name("catalog-swap-wake").start(task);

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
    private final Duration swapWait;
    /** For a mirror, the catalogue it looks covered tools up in (set once, before use), else null. */
    private volatile Catalog source;
    private volatile Predicate<String> covers = name -> false;
    private final Object changes = new Object();
    private final Map<Long, Change> openChanges = new HashMap<>();
    private final Map<String, List<CompletableFuture<Optional<RegisteredTool>>>> waiting = new HashMap<>();
    private final Map<String, String> departed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_DEPARTED;
        }
    };
    private ServiceTracker<Object, Registration> tracker;

    /**
     * @param introspector reads what a plugin component offers, for a provider
     * @param drainTimeout how long calls in flight may run on once their provider goes away
     */
    public Catalog(BiFunction<Object, Provider, Offerings> introspector, Duration drainTimeout) {
        this(introspector, drainTimeout, Duration.ofSeconds(30));
    }

    /**
     * @param introspector reads what a plugin component offers, for a provider
     * @param drainTimeout how long calls in flight may run on once their provider goes away
     * @param swapWait how long a call for a tool that is being updated waits for the new version
     */
    public Catalog(BiFunction<Object, Provider, Offerings> introspector, Duration drainTimeout, Duration swapWait) {
        this.introspector = introspector;
        this.drainTimeout = drainTimeout;
        this.swapWait = swapWait;
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

    /**
     * Makes this catalogue a mirror's (a virtual server's view): from now on the tools whose names
     * {@code covers} accepts are looked up by name in {@code source} (except its host-own ones, such as
     * the search tools), so that this catalogue's callers find them as the source's callers do, also
     * while an update of a bundle is under way (which a mirror hears of only at its end). Listing
     * stays with this catalogue's entries.
     */
    public void lookUpToolsIn(Catalog source, Predicate<String> covers) {
        this.source = source;
        this.covers = covers;
    }

    private boolean fromSource(String name) {
        return source != null && covers.test(name);
    }

    private static boolean plain(RegisteredTool tool) {
        return !tool.provider().meta();
    }

    /** The active tool of that name. */
    public Optional<RegisteredTool> tool(String name) {
        return fromSource(name) ? source.tool(name).filter(Catalog::plain) : tools.find(name);
    }

    /**
     * A number that grows with every change, advanced after the entries change and before any
     * listener hears of it: whoever has heard of a change sees its revision.
     */
    public long revision() {
        return revision.get();
    }

    /**
     * The active tool of that name, or, while an update of the bundle that offered it is under way,
     * the new version's tool once it arrives. Completes with empty when the name is unknown, when the
     * update ends without it, or after the swap wait; never exceptionally.
     */
    public CompletableFuture<Optional<RegisteredTool>> awaitTool(String name) {
        if (fromSource(name)) {
            return source.awaitTool(name).thenApply(t -> t.filter(Catalog::plain));
        }
        Optional<RegisteredTool> now = tools.find(name);
        if (now.isPresent()) {
            return CompletableFuture.completedFuture(now);
        }
        synchronized (changes) {
            now = tools.find(name);
            if (now.isPresent() || openChanges.values().stream().noneMatch(c -> c.held.containsKey(name))) {
                return CompletableFuture.completedFuture(now);
            }
            CompletableFuture<Optional<RegisteredTool>> waiter = new CompletableFuture<>();
            waiting.computeIfAbsent(name, n -> new ArrayList<>()).add(waiter);
            return waiter.completeOnTimeout(Optional.empty(), swapWait.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Whether a tool of that name is held by an update in progress (its new version has not come yet). */
    public boolean updating(String name) {
        if (fromSource(name)) {
            return source.updating(name);
        }
        synchronized (changes) {
            return openChanges.values().stream().anyMatch(c -> c.held.containsKey(name));
        }
    }

    /** How long a caller waits for a held tool's new version. */
    public Duration swapWait() {
        return swapWait;
    }

    /**
     * What to tell a caller who asked for a tool the catalogue does not have: which plugin took it
     * away, when it was there recently, else that it is unknown.
     */
    public String missingTool(String name) {
        if (fromSource(name)) {
            return source.missingTool(name);
        }
        synchronized (changes) {
            String why = departed.get(name);
            return why != null ? why : "Unknown tool: " + name;
        }
    }

    /**
     * Starts a change of one bundle's offerings (an install or an update): until it is closed, the
     * listeners do not hear of that bundle's registrations and removals, and, for an update, the
     * tools that go away are held for the new version.
     *
     * @param bundleId the bundle
     * @param update whether an old version is being replaced (its tools are held)
     * @return closes the change: the listeners hear of it once, if what is listed changed
     */
    public Change beginChange(long bundleId, boolean update) {
        Change change = new Change(bundleId, update);
        synchronized (changes) {
            openChanges.put(bundleId, change);
        }
        return change;
    }

    /** A change of one bundle's offerings, under way until closed. See {@link #beginChange}. */
    public final class Change implements AutoCloseable {

        private final long bundleId;
        private final boolean update;
        private final Map<Kind, List<Object>> before;
        private final Set<Kind> touched = EnumSet.noneOf(Kind.class);
        private final Map<String, Provider> held = new HashMap<>();
        private boolean closed;

        private Change(long bundleId, boolean update) {
            this.bundleId = bundleId;
            this.update = update;
            this.before = listed(bundleId);
        }

        @Override
        public void close() {
            Set<Kind> changed = EnumSet.noneOf(Kind.class);
            List<Map.Entry<CompletableFuture<Optional<RegisteredTool>>, Optional<RegisteredTool>>> wake = new ArrayList<>();
            synchronized (changes) {
                if (closed) {
                    return;
                }
                closed = true;
                openChanges.remove(bundleId, this);
                String newVersion = tools.all().stream().map(RegisteredTool::provider)
                        .filter(p -> p.bundleId() == bundleId).map(Provider::bundleVersion).findFirst().orElse(null);
                held.forEach((name, old) -> {
                    Optional<RegisteredTool> now = tools.find(name);
                    if (now.isEmpty()) {
                        departed.put(name, departure(name, old, newVersion == null ? "was updated and did not start again"
                                : "was updated to " + newVersion + " without it"));
                    }
                    wakeLocked(name, now, wake);
                });
                Map<Kind, List<Object>> after = listed(bundleId);
                for (Kind k : touched) {
                    if (!before.get(k).equals(after.get(k))) {
                        changed.add(k);
                    }
                }
            }
            wake.forEach(w -> w.getKey().completeAsync(w::getValue, WAKE));
            if (!changed.isEmpty()) {
                fire(changed);
            }
        }
    }

    private static String departure(String name, Provider old, String what) {
        return "Tool '" + name + "' is no longer available: the plugin that provided it (" + old.bundleName() + " "
                + old.bundleVersion() + ") " + what;
    }

    /** Takes the callers waiting for a name; the caller completes them outside the lock. */
    private void wakeLocked(String name, Optional<RegisteredTool> tool,
            List<Map.Entry<CompletableFuture<Optional<RegisteredTool>>, Optional<RegisteredTool>>> wake) {
        List<CompletableFuture<Optional<RegisteredTool>>> waiters = waiting.remove(name);
        if (waiters != null) {
            waiters.forEach(w -> wake.add(Map.entry(w, tool)));
        }
    }

    /** What the catalogue lists of one bundle, per kind, to tell whether a change changed anything. */
    private Map<Kind, List<Object>> listed(long bundleId) {
        Map<Kind, List<Object>> out = new EnumMap<>(Kind.class);
        out.put(Kind.TOOLS, described(tools, bundleId, RegisteredTool::descriptor));
        List<Object> resourceList = new ArrayList<>(described(resources, bundleId, RegisteredResource::descriptor));
        resourceList.addAll(described(templates, bundleId, RegisteredTemplate::descriptor));
        out.put(Kind.RESOURCES, resourceList);
        out.put(Kind.PROMPTS, described(prompts, bundleId, RegisteredPrompt::descriptor));
        return out;
    }

    private static <T extends CatalogEntry> List<Object> described(Entries<T> entries, long bundleId,
            java.util.function.Function<T, Object> descriptor) {
        return entries.all().stream().filter(e -> e.provider().bundleId() == bundleId).map(descriptor).toList();
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
     * Sets the problems a provider of entries defined at run time reports (entries it could not
     * offer, configuration it could not use); they appear with its bundle's {@link #problems}.
     *
     * @param provider the provider
     * @param reported one sentence each; empty to clear them
     */
    public void setProblems(Provider provider, List<String> reported) {
        if (reported.isEmpty()) {
            problemsByService.remove(provider.serviceId());
            bundleOfService.remove(provider.serviceId());
        } else {
            bundleOfService.put(provider.serviceId(), provider.bundleId());
            problemsByService.put(provider.serviceId(), List.copyOf(reported));
        }
    }

    /**
     * Adds everything one provider offers.
     *
     * @return closes to remove it again, draining its calls in flight
     */
    public Registration register(Provider provider, Offerings offerings) {
        Set<Kind> kinds = kinds(offerings);
        boolean deferred;
        List<Map.Entry<CompletableFuture<Optional<RegisteredTool>>, Optional<RegisteredTool>>> wake = new ArrayList<>();
        synchronized (changes) {
            tools.add(offerings.tools());
            resources.add(offerings.resources());
            templates.add(offerings.templates());
            prompts.add(offerings.prompts());
            Change change = openChanges.get(provider.bundleId());
            deferred = change != null;
            for (RegisteredTool t : offerings.tools()) {
                departed.remove(t.name());
                if (change != null) {
                    change.held.remove(t.name());
                }
                wakeLocked(t.name(), tools.find(t.name()), wake);
            }
            if (change != null) {
                change.touched.addAll(kinds);
            }
        }
        wake.forEach(w -> w.getKey().completeAsync(w::getValue, WAKE));
        if (!deferred && !kinds.isEmpty()) {
            fire(kinds);
        }
        return () -> unregister(provider, offerings, kinds);
    }

    /**
     * Replaces one provider's offerings with others as one change, for entries defined at run time:
     * the listeners hear of it once, and only for the kinds whose listing changed. The provider stays
     * open, so calls in flight on replaced entries finish on what they started with. Tools that leave
     * are remembered with {@code why} for their callers.
     *
     * @param provider the provider of both
     * @param before what it offered until now (empty at first)
     * @param after what it offers from now on (empty to withdraw everything)
     * @param why how a tool that leaves went away, for its callers ("was removed by ...")
     */
    public void replace(Provider provider, Offerings before, Offerings after, String why) {
        Set<Kind> changed = EnumSet.noneOf(Kind.class);
        List<Map.Entry<CompletableFuture<Optional<RegisteredTool>>, Optional<RegisteredTool>>> wake = new ArrayList<>();
        synchronized (changes) {
            // one snapshot per kind: a reader never sees an entry that stays gone for a moment
            tools.replace(before.tools(), after.tools());
            resources.replace(before.resources(), after.resources());
            templates.replace(before.templates(), after.templates());
            prompts.replace(before.prompts(), after.prompts());
            Set<String> staying = new java.util.HashSet<>();
            for (RegisteredTool t : after.tools()) {
                staying.add(t.name());
                departed.remove(t.name());
                wakeLocked(t.name(), tools.find(t.name()), wake);
            }
            for (RegisteredTool t : before.tools()) {
                if (!staying.contains(t.name()) && tools.find(t.name()).isEmpty()) {
                    departed.put(t.name(), "Tool '" + t.name() + "' is no longer available: it " + why);
                }
            }
            if (!before.tools().stream().map(RegisteredTool::descriptor).toList()
                    .equals(after.tools().stream().map(RegisteredTool::descriptor).toList())) {
                changed.add(Kind.TOOLS);
            }
            if (!before.resources().stream().map(RegisteredResource::descriptor).toList()
                    .equals(after.resources().stream().map(RegisteredResource::descriptor).toList())
                    || !before.templates().stream().map(RegisteredTemplate::descriptor).toList()
                    .equals(after.templates().stream().map(RegisteredTemplate::descriptor).toList())) {
                changed.add(Kind.RESOURCES);
            }
            if (!before.prompts().stream().map(RegisteredPrompt::descriptor).toList()
                    .equals(after.prompts().stream().map(RegisteredPrompt::descriptor).toList())) {
                changed.add(Kind.PROMPTS);
            }
        }
        wake.forEach(w -> w.getKey().completeAsync(w::getValue, WAKE));
        if (!changed.isEmpty()) {
            fire(changed);
        }
    }

    private void unregister(Provider provider, Offerings offerings, Set<Kind> kinds) {
        boolean deferred;
        synchronized (changes) {
            // under the lock of the changes, so that a caller never sees a tool neither listed nor held
            tools.remove(offerings.tools());
            resources.remove(offerings.resources());
            templates.remove(offerings.templates());
            prompts.remove(offerings.prompts());
            Change change = openChanges.get(provider.bundleId());
            deferred = change != null;
            for (RegisteredTool t : offerings.tools()) {
                if (tools.find(t.name()).isPresent()) {
                    continue;
                }
                if (change != null && change.update) {
                    change.held.put(t.name(), provider);
                } else {
                    departed.put(t.name(), departure(t.name(), provider, "was stopped or removed"));
                }
            }
            if (change != null) {
                change.touched.addAll(kinds);
            }
        }
        if (!deferred && !kinds.isEmpty()) {
            fire(kinds);
        }
        // Drained on the thread that removes the service, before the framework deactivates the
        // component: calls in flight finish on the old code.
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
