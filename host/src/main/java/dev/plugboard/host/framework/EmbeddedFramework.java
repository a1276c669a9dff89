package dev.plugboard.host.framework;

import dev.plugboard.api.McpProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;

/**
 * The embedded Apache Felix framework: its storage lives in the data folder, one folder per process
 * (so that several processes may share an installation, as desktop clients that launch a server per
 * conversation do), and is cleaned at each start (the deploy folder is the source of truth); the
 * system bundle exports the plugin API, Jackson and SLF4J and
 * provides the host capability that plugins require, and the framework's own bundles (Declarative
 * Services, Configuration Admin) are installed from the system folder.
 */
public final class EmbeddedFramework implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedFramework.class.getName());

    private final Felix felix;
    private final Path storage;

    private EmbeddedFramework(Felix felix, Path storage) {
        this.felix = felix;
        this.storage = storage;
    }

    /**
     * Starts the framework and the bundles of the system folder.
     *
     * @param storageRoot the folder under which each process keeps its framework cache
     * @param systemBundles the folder of framework bundles (SCR, Configuration Admin)
     * @param properties framework properties for plugins to read (such as the data folder)
     * @throws BundleException when the framework or one of its bundles cannot start
     */
    public static EmbeddedFramework start(Path storageRoot, Path systemBundles, Map<String, String> properties)
            throws BundleException {
        removeStaleStorage(storageRoot);
        Path storage = storageRoot.resolve(Long.toString(ProcessHandle.current().pid()));
        Map<String, Object> config = new HashMap<>(properties);
        config.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.exportsOf(List.of(
                McpProvider.class,
                org.osgi.service.component.ComponentContext.class,
                org.osgi.service.cm.ConfigurationAdmin.class,
                org.osgi.util.promise.Promise.class,
                org.osgi.util.function.Function.class,
                // Shared with plugins so that they need not embed their own copies (docs/plugin-guide.md).
                com.fasterxml.jackson.annotation.JsonProperty.class,
                com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.datatype.jsr310.JavaTimeModule.class,
                com.fasterxml.jackson.datatype.jdk8.Jdk8Module.class,
                org.slf4j.Logger.class,
                // Micrometer: plugins bind meters to the host's MeterRegistry service (docs/observability.md).
                io.micrometer.core.instrument.MeterRegistry.class,
                io.micrometer.common.KeyValue.class,
                io.micrometer.observation.Observation.class,
                // JAX-RS: plugins serve HTTP routes as whiteboard services (docs/http-routes.md).
                jakarta.ws.rs.Path.class)));
        config.put(Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA,
                "osgi.implementation;osgi.implementation=\"" + McpProvider.HOST + "\";version:Version=\"1.0.0\"");
        // Lucene's SIMD code, when the JVM runs with --add-modules jdk.incubator.vector
        config.put(Constants.FRAMEWORK_BOOTDELEGATION, "jdk.incubator.vector");
        config.put("felix.log.logger", new FelixLogBridge());
        config.put("ds.loglevel", "warn");
        Felix felix = new Felix(config);
        felix.init();
        felix.start();
        EmbeddedFramework framework = new EmbeddedFramework(felix, storage);
        try {
            framework.installSystemBundles(systemBundles);
        } catch (BundleException | RuntimeException e) {
            framework.close();
            throw e;
        }
        return framework;
    }

    /** The system bundle's context. */
    public BundleContext context() {
        return felix.getBundleContext();
    }

    private void installSystemBundles(Path folder) throws BundleException {
        List<Bundle> installed = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path jar : jars) {
                try (InputStream in = Files.newInputStream(jar)) {
                    installed.add(context().installBundle("plugboard:system/" + jar.getFileName(), in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the framework bundles in " + folder, e);
        }
        if (installed.isEmpty()) {
            throw new IllegalStateException("no framework bundles (Declarative Services) found in " + folder);
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        LOG.fine(() -> "Started " + installed.size() + " framework bundles");
    }

    @Override
    public void close() {
        try {
            felix.stop();
            FrameworkEvent event = felix.waitForStop(30_000);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.warning("The framework did not stop within 30 s");
            }
        } catch (BundleException e) {
            LOG.warning("Stopping the framework failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(storage);
    }

    /** Removes the storage of processes that no longer run. */
    private static void removeStaleStorage(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean alive = name.chars().allMatch(Character::isDigit) && !name.isEmpty()
                        && ProcessHandle.of(Long.parseLong(name)).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    delete(entry);
                }
            }
        } catch (IOException e) {
            LOG.fine(() -> "Could not list " + root + ": " + e.getMessage());
        }
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.fine(() -> "Could not delete " + p + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.fine(() -> "Could not delete " + folder + ": " + e.getMessage());
        }
    }
}
