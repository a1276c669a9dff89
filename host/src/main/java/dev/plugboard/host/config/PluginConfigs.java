package dev.plugboard.host.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Per-plugin configuration from the config folder, applied live: each {@code <pid>.cfg} file (Java
 * properties) becomes the Configuration Admin configuration of that PID; editing the file updates
 * it (Declarative Services re-activates the components that use it) and deleting the file removes it.
 */
public final class PluginConfigs implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginConfigs.class.getName());
    private static final String SUFFIX = ".cfg";

    private final Path folder;
    private final ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> admin;
    private final Map<String, Map<String, String>> applied = new HashMap<>();
    private WatchService watch;
    private Thread thread;
    private volatile boolean running = true;

    /**
     * @param context the system bundle's context
     * @param folder the config folder
     */
    public PluginConfigs(BundleContext context, Path folder) {
        this.folder = folder;
        this.admin = new ServiceTracker<>(context, ConfigurationAdmin.class, null);
        this.admin.open();
    }

    /** Applies the folder's files now and keeps following the folder. */
    public void start() throws IOException {
        sync();
        if (!Files.isDirectory(folder)) {
            return;
        }
        watch = FileSystems.getDefault().newWatchService();
        folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = Thread.ofPlatform().daemon().name("plugboard-config").start(() -> {
            while (running) {
                try {
                    WatchKey key = watch.poll(2, TimeUnit.SECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                    }
                    sync();
                } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Applying plugin configuration failed", e);
                }
            }
        });
    }

    /** Sets a configuration directly (the command line's overrides), replacing what a file set. */
    public synchronized void set(String pid, Map<String, String> values) {
        apply(pid, values);
        applied.put(pid, Map.copyOf(values));
    }

    private synchronized void sync() {
        Map<String, Map<String, String>> found = new HashMap<>();
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    found.put(name.substring(0, name.length() - SUFFIX.length()), read(file));
                }
            } catch (IOException e) {
                LOG.warning(() -> "Cannot read the config folder " + folder + ": " + e.getMessage());
                return;
            }
        }
        found.forEach((pid, values) -> {
            if (values != null && !values.equals(applied.get(pid))) {
                apply(pid, values);
                applied.put(pid, values);
            }
        });
        for (String pid : Map.copyOf(applied).keySet()) {
            if (!found.containsKey(pid)) {
                remove(pid);
                applied.remove(pid);
            }
        }
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warning(() -> "Ignoring " + file.getFileName() + ": " + e.getMessage());
            return null;
        }
        Map<String, String> values = new HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
        return values;
    }

    private void apply(String pid, Map<String, String> values) {
        ConfigurationAdmin ca = admin.getService();
        if (ca == null) {
            LOG.warning(() -> "No Configuration Admin: the configuration of " + pid + " is not applied");
            return;
        }
        try {
            Configuration c = ca.getConfiguration(pid, "?");
            Dictionary<String, Object> properties = new Hashtable<>(values);
            c.updateIfDifferent(properties);
            LOG.info(() -> "Applied the configuration of " + pid + " " + values.keySet());
        } catch (IOException e) {
            LOG.warning(() -> "Could not apply the configuration of " + pid + ": " + e.getMessage());
        }
    }

    private void remove(String pid) {
        ConfigurationAdmin ca = admin.getService();
        if (ca == null) {
            return;
        }
        try {
            ca.getConfiguration(pid, "?").delete();
            LOG.info(() -> "Removed the configuration of " + pid);
        } catch (IOException e) {
            LOG.warning(() -> "Could not remove the configuration of " + pid + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        if (watch != null) {
            watch.close();
        }
        if (thread != null) {
            thread.interrupt();
        }
        admin.close();
    }
}
