package dev.plugboard.host.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Installs, updates, starts and uninstalls the bundles of the deploy folder, and reports what
 * became of each jar. A jar that is not a bundle, does not resolve or fails to start is reported
 * and left alone; the framework and the other bundles carry on. Called from one thread.
 */
public final class BundleDeployer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BundleDeployer.class.getName());
    private static final String LOCATION_PREFIX = "plugboard:bundles/";

    private record Deployment(Path file, Bundle bundle, String error) {
    }

    private final BundleContext context;
    private final LongFunction<List<String>> toolProblems;
    private final ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> scr;
    private final Map<Path, Deployment> deployments = new ConcurrentHashMap<>();

    /**
     * @param context the system bundle's context
     * @param toolProblems the registry's problems with the tools of a bundle id
     */
    public BundleDeployer(BundleContext context, LongFunction<List<String>> toolProblems) {
        this.context = context;
        this.toolProblems = toolProblems;
        this.scr = new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
        this.scr.open();
    }

    /** Applies one scan's changes: removals first, then updates and additions, then starts. */
    public void apply(BundleScanner.Changes changes) {
        List<Bundle> refresh = new ArrayList<>();
        List<Path> toStart = new ArrayList<>();
        for (Path file : changes.removed()) {
            Deployment d = deployments.remove(file);
            if (d != null && d.bundle() != null) {
                uninstall(d.bundle(), file);
                refresh.add(d.bundle());
            }
        }
        for (Path file : changes.unreadable()) {
            Deployment d = deployments.get(file);
            String error = "not a readable jar file; it is ignored until it is replaced by a complete jar";
            LOG.warning(() -> file.getFileName() + ": " + error);
            deployments.put(file, new Deployment(file, d == null ? null : d.bundle(), error));
        }
        for (Path file : changes.updated()) {
            Deployment d = deployments.get(file);
            if (d == null || d.bundle() == null || d.bundle().getState() == Bundle.UNINSTALLED) {
                install(file, toStart);
            } else if (update(d.bundle(), file)) {
                refresh.add(d.bundle());
                toStart.add(file);
            }
        }
        for (Path file : changes.added()) {
            install(file, toStart);
        }
        refresh(refresh);
        for (Path file : toStart) {
            start(file);
        }
    }

    /** What became of every jar, ordered by file name. */
    public List<BundleReport> reports() {
        return deployments.values().stream()
                .sorted(Comparator.comparing(d -> d.file().getFileName().toString()))
                .map(this::report)
                .toList();
    }

    private void install(Path file, List<Path> toStart) {
        String notBundle = notABundle(file);
        if (notBundle != null) {
            LOG.warning(() -> file.getFileName() + ": " + notBundle);
            deployments.put(file, new Deployment(file, null, notBundle));
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            Bundle b = context.installBundle(LOCATION_PREFIX + file.getFileName(), in);
            deployments.put(file, new Deployment(file, b, null));
            toStart.add(file);
            LOG.info(() -> "Installed " + b.getSymbolicName() + " " + b.getVersion() + " from " + file.getFileName());
        } catch (BundleException | IOException | RuntimeException e) {
            String error = "could not be installed: " + message(e);
            LOG.warning(() -> file.getFileName() + " " + error);
            deployments.put(file, new Deployment(file, null, error));
        }
    }

    private boolean update(Bundle bundle, Path file) {
        String notBundle = notABundle(file);
        if (notBundle != null) {
            LOG.warning(() -> file.getFileName() + ": " + notBundle + "; the previous version keeps running");
            deployments.put(file, new Deployment(file, bundle, notBundle + "; the previous version keeps running"));
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            // Stopped first, so that neither the update nor the refresh that follows restarts the old
            // wiring: the bundle goes down once and comes up once, on its new revision.
            bundle.stop();
            bundle.update(in);
            deployments.put(file, new Deployment(file, bundle, null));
            LOG.info(() -> "Updated " + bundle.getSymbolicName() + " to " + bundle.getVersion() + " from "
                    + file.getFileName());
            return true;
        } catch (BundleException | IOException | RuntimeException e) {
            String error = "could not be updated: " + message(e);
            LOG.warning(() -> file.getFileName() + " " + error);
            deployments.put(file, new Deployment(file, bundle, error));
            return false;
        }
    }

    private void uninstall(Bundle bundle, Path file) {
        try {
            String name = bundle.getSymbolicName() + " " + bundle.getVersion();
            bundle.uninstall();
            LOG.info(() -> "Uninstalled " + name + " (" + file.getFileName() + " was removed)");
        } catch (BundleException | IllegalStateException e) {
            LOG.log(Level.WARNING, "Could not uninstall " + file.getFileName() + ": " + message(e), e);
        }
    }

    private void start(Path file) {
        Deployment d = deployments.get(file);
        if (d == null || d.bundle() == null) {
            return;
        }
        try {
            d.bundle().start();
        } catch (BundleException | IllegalStateException e) {
            String error = "could not be started: " + message(e);
            LOG.warning(() -> file.getFileName() + " (" + d.bundle().getSymbolicName() + ") " + error);
            deployments.put(file, new Deployment(file, d.bundle(), error));
        }
    }

    private void refresh(List<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
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
        problems.addAll(toolProblems.apply(b.getBundleId()));
        String state = d.error() != null && b.getState() != Bundle.ACTIVE ? "FAILED" : stateName(b.getState());
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
        scr.close();
    }
}
