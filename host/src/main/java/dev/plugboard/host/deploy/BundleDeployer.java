package dev.plugboard.host.deploy;

import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.containment.PluginThreads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.HexFormat;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.osgi.framework.hooks.bundle.CollisionHook;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Requirement;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Installs, updates, starts and uninstalls the bundles of the deploy folder, and reports what
 * became of each jar. A jar that is not a bundle, would end the host ({@code System.exit} and the
 * like), does not resolve or fails to start is reported and left alone; the framework and the other
 * bundles carry on.
 *
 * <p>Each jar's work runs on a worker of its own, in order for that jar and concurrently with the
 * others: a removal that drains long calls, or an activator that hangs, holds up nothing but its
 * own jar. A bundle's start runs on a thread named after the bundle, under a time limit; past it
 * the bundle is reported and marked failed. Installs and updates are one change of the catalogue
 * each (see {@link Catalog#beginChange}). Exit calls the check lets through (in embedded libraries)
 * or never saw (bundles installed some other way) are rewritten to throw as their classes load (a
 * weaving hook).
 *
 * <p>The watcher ({@link #apply}) and the admin API ({@link #deploy}, {@link #start}, {@link #stop},
 * {@link #undeploy}) share the jars' workers, so their work on one jar runs in order; content that
 * was already deployed from a jar is not deployed again, so a jar the admin API wrote into the folder
 * is not updated a second time when the watcher sees it.
 */
public final class BundleDeployer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BundleDeployer.class.getName());
    private static final String LOCATION_PREFIX = "plugboard:bundles/";
    private static final String PROBE_PREFIX = "plugboard:probe/";
    private static final String KEEPS_RUNNING = "; the previous version keeps running";

    /**
     * @param failed whether the deployment failed whatever the bundle's state (its start ran past the limit)
     */
    private record Deployment(Path file, Bundle bundle, String error, boolean failed) {
    }

    private final BundleContext context;
    private final Catalog catalog;
    private final Duration activationTimeout;
    private final ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> scr;
    private final Map<Path, Deployment> deployments = new ConcurrentHashMap<>();
    private final Map<Path, CompletableFuture<Void>> lanes = new HashMap<>();
    private final PluginThreads threads;
    private final ServiceRegistration<WeavingHook> weaving;
    private final Map<Path, String> attempted = new ConcurrentHashMap<>();
    private final List<Consumer<DeployEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Boolean> probing = ThreadLocal.withInitial(() -> false);
    private final ServiceRegistration<CollisionHook> collisions;
    private final ScanRecords scans;

    /**
     * @param context the system bundle's context
     * @param catalog the catalogue the bundles' services feed (changes, and problems with their tools)
     * @param activationTimeout the longest a bundle's start may take
     * @param threads the plugins' thread groups: a bundle starts in its own, so that threads its
     *     activator starts are the plugin's
     * @param scanRecords the folder that keeps the exit-call scans of jars already checked, so that
     *     a restart does not scan unchanged jars again
     * @param shippedScans the build's scans of the jars the distribution ships, read only (null for none)
     */
    public BundleDeployer(BundleContext context, Catalog catalog, Duration activationTimeout, PluginThreads threads,
            Path scanRecords, Path shippedScans) {
        this.context = context;
        this.scans = ScanRecords.in(scanRecords, shippedScans);
        this.threads = threads;
        this.catalog = catalog;
        this.activationTimeout = activationTimeout;
        this.scr = new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
        this.scr.open();
        this.weaving = context.registerService(WeavingHook.class, new ExitCallWeaver(), null);
        // A probe (see inspect) may share its symbolic name and version with an installed bundle, and
        // a bundle installed meanwhile may share them with a probe: probes never collide.
        this.collisions = context.registerService(CollisionHook.class, (type, target, candidates) -> {
            if (probing.get()) {
                candidates.clear();
            } else {
                candidates.removeIf(b -> b.getLocation().startsWith(PROBE_PREFIX));
            }
        }, null);
    }

    /**
     * Registers a listener that hears of each installation, update, start, stop, removal and
     * failure, on the thread that did it. It must return quickly and not throw.
     *
     * @return closes to remove the listener
     */
    public AutoCloseable addListener(Consumer<DeployEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fire(DeployEvent.Action action, Path file, Bundle bundle, String detail) {
        String name = bundle == null ? null : bundle.getSymbolicName();
        String version = bundle == null ? null : bundle.getVersion().toString();
        fire(new DeployEvent(action, file.getFileName().toString(), name, version, detail));
    }

    private void fire(DeployEvent event) {
        for (Consumer<DeployEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A deployment listener failed", e);
            }
        }
    }

    /**
     * Installs the jar (or updates the bundle installed from it) and starts it, in the jar's order
     * with the watcher's work. The jar must be in the deploy folder, so that it survives a restart.
     * Content already deployed from this jar is left as it is.
     *
     * @param file the jar in the deploy folder
     * @return completes with the jar's report once its bundle started or failed; empty when the
     *     jar was removed meanwhile
     */
    public CompletableFuture<Optional<BundleReport>> deploy(Path file) {
        BundleScanner.Changes changes = installed(file)
                ? new BundleScanner.Changes(List.of(), List.of(file), List.of(), List.of())
                : new BundleScanner.Changes(List.of(file), List.of(), List.of(), List.of());
        // The watcher may have installed this content first and queued its start behind this work:
        // start it here, so that the answer is the start's outcome.
        return apply(changes).thenCompose(v -> enqueue(file, () -> {
            Deployment d = deployments.get(file);
            if (d != null && d.bundle() != null && d.bundle().getState() == Bundle.INSTALLED && !d.failed()) {
                startInstalled(file);
            }
        })).thenApply(v -> report(file));
    }

    /**
     * Starts the bundle installed from this jar, in the jar's order.
     *
     * @return completes with the report, empty when no bundle is installed from it
     */
    public CompletableFuture<Optional<BundleReport>> start(Path file) {
        return enqueue(file, () -> {
            Deployment d = deployments.get(file);
            if (d != null && d.bundle() != null && d.bundle().getState() != Bundle.UNINSTALLED
                    && d.bundle().getState() != Bundle.ACTIVE) {
                deployments.put(file, new Deployment(file, d.bundle(), null, false));
                Catalog.Change change = catalog.beginChange(d.bundle().getBundleId(), false);
                try {
                    if (start(file, d.bundle())) {
                        fire(DeployEvent.Action.STARTED, file, d.bundle(), null);
                    }
                } finally {
                    change.close();
                }
            }
        }).thenApply(v -> report(file));
    }

    /**
     * Stops the bundle installed from this jar, in the jar's order; calls in flight get the drain
     * time to finish. It stays installed (and starts again with the host).
     *
     * @return completes with the report, empty when no bundle is installed from it
     */
    public CompletableFuture<Optional<BundleReport>> stop(Path file) {
        return enqueue(file, () -> {
            Deployment d = deployments.get(file);
            if (d != null && d.bundle() != null && d.bundle().getState() == Bundle.ACTIVE) {
                try {
                    d.bundle().stop();
                    LOG.info(() -> "Stopped " + d.bundle().getSymbolicName() + " " + d.bundle().getVersion());
                    fire(DeployEvent.Action.STOPPED, file, d.bundle(), null);
                } catch (BundleException | IllegalStateException e) {
                    String error = "could not be stopped: " + message(e);
                    LOG.warning(() -> file.getFileName() + " " + error);
                    deployments.put(file, new Deployment(file, d.bundle(), error, false));
                    fire(DeployEvent.Action.FAILED, file, d.bundle(), error);
                }
            }
        }).thenApply(v -> report(file));
    }

    /**
     * Uninstalls the bundle installed from this jar, in the jar's order (the jar itself is the
     * caller's to delete).
     *
     * @return completes once it is uninstalled
     */
    public CompletableFuture<Void> undeploy(Path file) {
        return apply(new BundleScanner.Changes(List.of(), List.of(), List.of(file), List.of()));
    }

    /** The report of one jar, if the deployer knows it. */
    public Optional<BundleReport> report(Path file) {
        Deployment d = deployments.get(file);
        return d == null ? Optional.empty() : Optional.of(report(d));
    }

    /**
     * Checks a jar as a deployment would, without deploying it: it must be a bundle, hold no code
     * that would end the host, and resolve against what is installed now. To tell whether it
     * resolves it is installed briefly under a location of its own, resolved, and uninstalled again;
     * it is never started.
     *
     * @return the bundle's symbolic name and version, or why it would be refused
     */
    public Inspection inspect(Path jar) {
        String name;
        String version;
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest manifest = j.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                return new Inspection(null, null, Inspection.Refusal.NOT_A_BUNDLE,
                        "not an OSGi bundle: its manifest has no Bundle-SymbolicName");
            }
            name = bsn.split(";")[0].trim();
            String v = manifest.getMainAttributes().getValue("Bundle-Version");
            version = v == null ? "0.0.0" : v.trim();
        } catch (IOException e) {
            return new Inspection(null, null, Inspection.Refusal.NOT_A_JAR, "not a readable jar file");
        }
        try {
            ExitCallScanner.Result scan = scans.scan(jar);
            if (scan.refusal() != null) {
                return new Inspection(name, version, Inspection.Refusal.EXIT_CALL, scan.refusal());
            }
        } catch (IOException e) {
            return new Inspection(name, version, Inspection.Refusal.NOT_A_JAR, "not a readable jar file");
        }
        Bundle probe = null;
        probing.set(true);
        try (InputStream in = Files.newInputStream(jar)) {
            probe = context.installBundle(PROBE_PREFIX + java.util.UUID.randomUUID(), in);
            version = probe.getVersion().toString();
            FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
            if (!wiring.resolveBundles(List.of(probe))) {
                return new Inspection(name, version, Inspection.Refusal.UNRESOLVABLE,
                        "it does not resolve: " + unresolved(probe, wiring));
            }
            return new Inspection(name, version, null, null);
        } catch (BundleException | IOException | RuntimeException e) {
            return new Inspection(name, version, Inspection.Refusal.NOT_A_BUNDLE, "not a valid bundle: " + message(e));
        } finally {
            probing.set(false);
            if (probe != null) {
                try {
                    probe.uninstall();
                } catch (BundleException | IllegalStateException e) {
                    LOG.fine(() -> "Could not uninstall a probe: " + e.getMessage());
                }
                refresh(List.of(probe));
            }
        }
    }

    /**
     * What a jar would deploy as.
     *
     * @param symbolicName its symbolic name, or null when it is not a bundle
     * @param version its version, or null
     * @param refusal why it would be refused, or null when it would deploy
     * @param detail the refusal as a sentence, or null
     */
    public record Inspection(String symbolicName, String version, Refusal refusal, String detail) {

        /** Why a jar would be refused. */
        public enum Refusal {
            /** Not a readable jar (zip) file. */
            NOT_A_JAR,
            /** No {@code Bundle-SymbolicName}, or a manifest the framework refuses. */
            NOT_A_BUNDLE,
            /** It calls {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}. */
            EXIT_CALL,
            /** What it imports or requires is not provided by anything installed. */
            UNRESOLVABLE
        }
    }

    /** The mandatory requirements of an unresolved bundle that nothing installed provides. */
    private static String unresolved(Bundle probe, FrameworkWiring wiring) {
        BundleRevision revision = probe.adapt(BundleRevision.class);
        List<String> missing = new ArrayList<>();
        if (revision != null) {
            for (Requirement r : revision.getRequirements(null)) {
                String resolution = r.getDirectives().get("resolution");
                if ("optional".equals(resolution) || "osgi.ee".equals(r.getNamespace())) {
                    continue;
                }
                if (wiring.findProviders(r).isEmpty()) {
                    String filter = r.getDirectives().get("filter");
                    missing.add(r.getNamespace() + " " + (filter == null ? "" : filter));
                }
            }
        }
        return missing.isEmpty() ? "its requirements conflict with what is installed"
                : "nothing installed provides " + String.join(", ", missing);
    }

    /**
     * Hands one scan's changes to the jars' workers and returns. Jars new to the framework are all
     * installed before any of them starts, so that a plugin and the library bundle it imports can be
     * dropped together; a bundle that could not resolve before is tried again once others have been
     * installed.
     *
     * @return completes when this scan's work has ended (starts that ran past their limit count as ended)
     */
    public CompletableFuture<Void> apply(BundleScanner.Changes changes) {
        List<CompletableFuture<Void>> work = new ArrayList<>();
        for (Path file : changes.removed()) {
            work.add(enqueue(file, () -> remove(file)));
        }
        for (Path file : changes.unreadable()) {
            work.add(enqueue(file, () -> unreadable(file)));
        }
        List<Path> installing = new ArrayList<>();
        List<CompletableFuture<Void>> installs = new ArrayList<>();
        for (Path file : concat(changes.updated(), changes.added())) {
            if (installed(file)) {
                work.add(enqueue(file, () -> updateOrReinstall(file)));
            } else {
                installing.add(file);
                installs.add(enqueue(file, () -> install(file)));
            }
        }
        if (!installing.isEmpty()) {
            CompletableFuture<Void> allInstalled = CompletableFuture.allOf(installs.toArray(CompletableFuture[]::new));
            work.add(allInstalled);
            // Which other bundles wait for what they import is read once this scan's jars are installed,
            // not when the scan is handed over: an earlier scan's jar may still be installing then (the
            // watcher does not wait for a scan's work), and would miss the library this scan brings.
            // Resolved together, on one thread that holds no bundle's lock, before the starts run
            // concurrently: each start then finds its bundle resolved, and starts never contend for
            // the framework's global resolve lock (which Felix refuses rather than risk a deadlock).
            CompletableFuture<List<Path>> resolved = allInstalled.thenApply(v -> {
                List<Path> toStart = new ArrayList<>(installing);
                deployments.forEach((file, d) -> {
                    if (!installing.contains(file) && d.bundle() != null && d.bundle().getState() == Bundle.INSTALLED) {
                        toStart.add(file);
                    }
                });
                resolve(toStart);
                return toStart;
            });
            work.add(resolved.thenCompose(toStart -> CompletableFuture.allOf(toStart.stream()
                    .map(file -> enqueue(file, () -> startInstalled(file))).toArray(CompletableFuture[]::new))));
        }
        return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new));
    }

    /** Resolves what it can of the bundles of these jars that are installed but not resolved. */
    private void resolve(List<Path> files) {
        List<Bundle> bundles = new ArrayList<>();
        for (Path file : files) {
            Deployment d = deployments.get(file);
            if (d != null && d.bundle() != null && d.bundle().getState() == Bundle.INSTALLED) {
                bundles.add(d.bundle());
            }
        }
        if (!bundles.isEmpty()) {
            // false when some cannot resolve: their start then reports why
            context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(bundles);
        }
    }

    /** An update, or an install when the jar's bundle went away in work queued before this. */
    private void updateOrReinstall(Path file) {
        if (installed(file)) {
            update(deployments.get(file).bundle(), file);
        } else {
            install(file);
            startInstalled(file);
        }
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Whether the jar's bundle is in the framework (so that a new jar there is an update). */
    private boolean installed(Path file) {
        Deployment d = deployments.get(file);
        return d != null && d.bundle() != null && d.bundle().getState() != Bundle.UNINSTALLED;
    }

    /** What became of every jar, ordered by file name. */
    public List<BundleReport> reports() {
        return deployments.values().stream()
                .sorted(Comparator.comparing(d -> d.file().getFileName().toString()))
                .map(this::report)
                .toList();
    }

    /** Runs a jar's work after the work already queued for that jar, on a thread of its own. */
    private CompletableFuture<Void> enqueue(Path file, Runnable task) {
        synchronized (lanes) {
            CompletableFuture<Void> previous = lanes.getOrDefault(file, CompletableFuture.completedFuture(null));
            Deployment known = deployments.get(file);
            String bundleName = known == null || known.bundle() == null ? null : known.bundle().getSymbolicName();
            Executor worker = r -> Thread.ofPlatform()
                    .name("plugboard-deploy-" + (bundleName != null ? bundleName : file.getFileName())).daemon().start(r);
            CompletableFuture<Void> next = previous.handle((v, e) -> null).thenRunAsync(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Deploying " + file.getFileName() + " failed", e);
                }
            }, worker);
            lanes.put(file, next);
            next.whenComplete((v, e) -> {
                synchronized (lanes) {
                    lanes.remove(file, next);
                }
            });
            return next;
        }
    }

    private void remove(Path file) {
        attempted.remove(file);
        Deployment d = deployments.remove(file);
        if (d != null && d.bundle() != null) {
            uninstall(d.bundle(), file);
            refresh(List.of(d.bundle()));
        }
    }

    private void unreadable(Path file) {
        Deployment d = deployments.get(file);
        String error = "not a readable jar file; it is ignored until it is replaced by a complete jar";
        LOG.warning(() -> file.getFileName() + ": " + error);
        deployments.put(file, new Deployment(file, d == null ? null : d.bundle(), error, false));
        fire(DeployEvent.Action.FAILED, file, d == null ? null : d.bundle(), error);
    }

    /**
     * Copies the jar, so that what is checked is what gets installed, and checks it.
     *
     * @return the copy, or null when it is refused (the refusal is then recorded)
     */
    private Path checkedCopy(Path file, Bundle previous) {
        String refusal = notABundle(file);
        Path copy = null;
        if (refusal == null) {
            try {
                copy = Files.createTempFile("plugboard-deploy-", ".jar");
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                ExitCallScanner.Result scan = scans.scan(copy);
                refusal = scan.refusal();
                List<ExitCallScanner.ExitCall> rewritten = scan.rewritten();
                if (refusal == null && !rewritten.isEmpty()) {
                    LOG.info(() -> file.getFileName() + ": " + rewritten.size() + " exit call(s) in embedded libraries ("
                            + rewritten.get(0).describe() + (rewritten.size() > 1 ? ", ..." : "")
                            + ") will throw instead of ending the host");
                }
            } catch (IOException e) {
                refusal = "not a readable jar file: " + e.getMessage();
            }
        }
        if (refusal == null) {
            return copy;
        }
        delete(copy);
        if (Files.notExists(file)) {
            // deleted after this work was queued (an admin removal, or a copy replacing it): its
            // removal is queued or will be seen by the next scan, so there is nothing to report
            LOG.fine(() -> file.getFileName() + " was removed before it could be deployed");
            return null;
        }
        String error = previous == null ? refusal : refusal + KEEPS_RUNNING;
        LOG.warning(() -> file.getFileName() + ": " + error);
        deployments.put(file, new Deployment(file, previous, error, previous == null));
        fire(DeployEvent.Action.FAILED, file, previous, error);
        return null;
    }

    private static void delete(Path copy) {
        if (copy != null) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                LOG.fine(() -> "Could not delete " + copy + ": " + e.getMessage());
            }
        }
    }

    private void install(Path file) {
        if (installed(file)) {
            update(deployments.get(file).bundle(), file);
            return;
        }
        if (alreadyAttempted(file)) {
            return;
        }
        Path copy = checkedCopy(file, null);
        if (copy == null) {
            return;
        }
        Bundle b;
        try (InputStream in = Files.newInputStream(copy)) {
            b = context.installBundle(LOCATION_PREFIX + file.getFileName(), in);
        } catch (BundleException | IOException | RuntimeException e) {
            String error = "could not be installed: " + message(e);
            LOG.warning(() -> file.getFileName() + " " + error);
            deployments.put(file, new Deployment(file, null, error, true));
            attempted.remove(file);
            fire(DeployEvent.Action.FAILED, file, null, error);
            return;
        } finally {
            delete(copy);
        }
        deployments.put(file, new Deployment(file, b, null, false));
        LOG.info(() -> "Installed " + b.getSymbolicName() + " " + b.getVersion() + " from " + file.getFileName());
        fire(DeployEvent.Action.INSTALLED, file, b, null);
    }

    /**
     * Whether this content of the jar was deployed (or refused) already, remembering it if not: the
     * watcher then leaves alone a jar the admin API deployed, and the other way round.
     */
    private boolean alreadyAttempted(Path file) {
        String digest = digest(file);
        if (digest != null && digest.equals(attempted.put(file, digest))) {
            LOG.fine(() -> file.getFileName() + " is deployed already with this content");
            return true;
        }
        return false;
    }

    private static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** Starts a bundle that is installed but not started (new, or waiting for what it imports). */
    private void startInstalled(Path file) {
        Deployment d = deployments.get(file);
        if (d == null || d.bundle() == null || d.bundle().getState() != Bundle.INSTALLED
                && d.bundle().getState() != Bundle.RESOLVED) {
            return;
        }
        Bundle b = d.bundle();
        deployments.put(file, new Deployment(file, b, null, false));
        Catalog.Change change = catalog.beginChange(b.getBundleId(), false);
        try {
            if (start(file, b)) {
                fire(DeployEvent.Action.STARTED, file, b, null);
            }
        } finally {
            change.close();
        }
    }

    private void update(Bundle bundle, Path file) {
        if (alreadyAttempted(file)) {
            return;
        }
        Path copy = checkedCopy(file, bundle);
        if (copy == null) {
            return;
        }
        Catalog.Change change = catalog.beginChange(bundle.getBundleId(), true);
        try (InputStream in = Files.newInputStream(copy)) {
            // Stopped first, so that neither the update nor the refresh that follows restarts the old
            // wiring: the bundle goes down once and comes up once, on its new revision. The stop waits
            // for the old version's calls in flight (the drain); callers of its tools wait for the new one.
            bundle.stop();
            bundle.update(in);
            deployments.put(file, new Deployment(file, bundle, null, false));
            LOG.info(() -> "Updated " + bundle.getSymbolicName() + " to " + bundle.getVersion() + " from "
                    + file.getFileName());
            refresh(List.of(bundle));
            resolve(List.of(file));
            if (start(file, bundle)) {
                fire(DeployEvent.Action.UPDATED, file, bundle, null);
            }
        } catch (BundleException | IOException | RuntimeException e) {
            String error = "could not be updated: " + message(e);
            LOG.warning(() -> file.getFileName() + " " + error);
            deployments.put(file, new Deployment(file, bundle, error, false));
            fire(DeployEvent.Action.FAILED, file, bundle, error);
        } finally {
            change.close();
            delete(copy);
        }
    }

    private void uninstall(Bundle bundle, Path file) {
        try {
            String name = bundle.getSymbolicName() + " " + bundle.getVersion();
            DeployEvent removed = new DeployEvent(DeployEvent.Action.REMOVED, file.getFileName().toString(),
                    bundle.getSymbolicName(), bundle.getVersion().toString(), null);
            bundle.uninstall();
            LOG.info(() -> "Uninstalled " + name + " (" + file.getFileName() + " was removed)");
            fire(removed);
        } catch (BundleException | IllegalStateException e) {
            LOG.log(Level.WARNING, "Could not uninstall " + file.getFileName() + ": " + message(e), e);
        }
    }

    /**
     * Starts a bundle, trying again for a while when Felix refuses to resolve it only because
     * another deployment holds the framework's resolve lock (a start holds its bundle's lock, and
     * Felix then refuses to wait for the global one rather than risk a deadlock): two jars dropped
     * a scan apart otherwise left the second one unresolved until the next change in the folder.
     */
    private static void startWhenResolvable(Bundle bundle) throws BundleException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                bundle.start();
                return;
            } catch (BundleException e) {
                if (!globalLockBusy(e) || attempt == GLOBAL_LOCK_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(GLOBAL_LOCK_RETRY_MILLIS); // the lock's holder is another deployment, running now
            }
        }
    }

    private static boolean globalLockBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("global lock")) {
                return true;
            }
        }
        return false;
    }

    private static final int GLOBAL_LOCK_ATTEMPTS = 50;
    private static final long GLOBAL_LOCK_RETRY_MILLIS = 100;

    /**
     * Starts a bundle on a thread named after it and waits up to the activation limit. The
     * activator and the activation of the components whose services the catalogue takes up run on
     * that thread (the catalogue's tracker asks for each service as it is registered).
     */
    private boolean start(Path file, Bundle bundle) {
        String name = bundle.getSymbolicName();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().group(threads.groupFor(bundle.getBundleId(), name))
                .name("plugboard-activate-" + name).daemon()
                .start(() -> {
                    try {
                        startWhenResolvable(bundle);
                        started.complete(null);
                    } catch (Throwable e) {
                        started.completeExceptionally(e);
                    }
                });
        try {
            started.get(activationTimeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            String error = "did not finish starting within " + activationTimeout.toSeconds()
                    + " s (its activator or a component's activation still runs on thread " + worker.getName()
                    + "); marked failed";
            LOG.warning(() -> file.getFileName() + " (" + name + " " + bundle.getVersion() + ") " + error);
            deployments.put(file, new Deployment(file, bundle, error, true));
            fire(DeployEvent.Action.FAILED, file, bundle, error);
            worker.interrupt();
            // stopped in the jar's own order, after whatever work for it came meanwhile
            started.thenRun(() -> enqueue(file, () -> startedTooLate(file, bundle)));
        } catch (ExecutionException e) {
            String error = "could not be started: " + message(e.getCause());
            LOG.warning(() -> file.getFileName() + " (" + name + ") " + error);
            deployments.put(file, new Deployment(file, bundle, error, true));
            fire(DeployEvent.Action.FAILED, file, bundle, error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** A start that ended after its limit: the bundle stays failed, so it is stopped again. */
    private void startedTooLate(Path file, Bundle bundle) {
        Deployment d = deployments.get(file);
        if (d == null || d.bundle() != bundle || !d.failed()) {
            return;
        }
        LOG.warning(() -> file.getFileName() + " (" + bundle.getSymbolicName() + ") finished starting after its "
                + activationTimeout.toSeconds() + " s limit; it is stopped and stays failed until the jar is replaced");
        try {
            bundle.stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.fine(() -> "Stopping " + bundle.getSymbolicName() + " failed: " + message(e));
        }
    }

    private void refresh(List<Bundle> bundles) {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                LOG.warning("Refreshing bundles took longer than 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String notABundle(Path file) {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null || manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "not an OSGi bundle: its manifest has no Bundle-SymbolicName";
            }
            return null;
        } catch (IOException e) {
            return "not a readable jar file: " + e.getMessage();
        }
    }

    private BundleReport report(Deployment d) {
        Bundle b = d.bundle();
        if (b == null) {
            return new BundleReport(d.file().getFileName().toString(), null, null, null, "FAILED", d.error(), List.of());
        }
        List<String> problems = new ArrayList<>(componentProblems(b));
        problems.addAll(catalog.problems(b.getBundleId()));
        String state = d.failed() || d.error() != null && b.getState() != Bundle.ACTIVE ? "FAILED" : stateName(b.getState());
        return new BundleReport(d.file().getFileName().toString(), b.getBundleId(), b.getSymbolicName(),
                b.getVersion().toString(), state, d.error(), problems);
    }

    private List<String> componentProblems(Bundle bundle) {
        ServiceComponentRuntime runtime = scr.getService();
        if (runtime == null || bundle.getState() == Bundle.UNINSTALLED) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(description)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    out.add("component " + description.name + " failed to activate: " + rootCause(c.failure));
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    List<String> names = new ArrayList<>();
                    for (var r : c.unsatisfiedReferences) {
                        names.add(r.name);
                    }
                    out.add("component " + description.name + " waits for references " + names);
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    out.add("component " + description.name + " waits for its configuration");
                }
            }
        }
        return out;
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    private static String message(Throwable e) {
        StringBuilder sb = new StringBuilder(firstLine(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(": ").append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                sb.append(' ').append(firstLine(c.getMessage()));
            }
        }
        return sb.toString();
    }

    /** The innermost cause named in a printed stack trace (SCR reports failures that way). */
    private static String rootCause(String trace) {
        if (trace == null) {
            return "(no detail)";
        }
        String cause = firstLine(trace);
        for (String line : trace.split("\n")) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length()).trim();
            }
        }
        return cause;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "(no detail)";
        }
        int cut = text.indexOf('\n');
        return (cut < 0 ? text : text.substring(0, cut)).trim();
    }

    @Override
    public void close() {
        try {
            weaving.unregister();
        } catch (IllegalStateException e) {
            LOG.fine("The weaving hook was already unregistered");
        }
        try {
            collisions.unregister();
        } catch (IllegalStateException e) {
            LOG.fine("The collision hook was already unregistered");
        }
        scr.close();
    }
}
