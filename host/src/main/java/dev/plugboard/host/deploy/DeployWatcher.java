package dev.plugboard.host.deploy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the framework in step with the deploy folder: a thread wakes on file-system events (and
 * polls as a fallback), scans, and hands the changes to the deployer. While a file is settling it
 * rescans at a short interval, so a complete drop is installed within a few tens of milliseconds.
 * The thread only scans and dispatches: each jar's deployment runs on a worker of its own.
 */
public final class DeployWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeployWatcher.class.getName());

    private final Path folder;
    private final BundleScanner scanner;
    private final BundleDeployer deployer;
    private final Duration settle;
    private final Duration poll;
    private volatile boolean running = true;
    private Thread thread;
    private WatchService watch;

    /**
     * @param folder the deploy folder
     * @param deployer applies the changes
     * @param settle the interval between scans while a file is changing
     * @param poll the interval between scans when nothing happens (a fallback for missed events)
     */
    public DeployWatcher(Path folder, BundleDeployer deployer, Duration settle, Duration poll) {
        this.folder = folder;
        this.scanner = new BundleScanner(folder);
        this.deployer = deployer;
        this.settle = settle;
        this.poll = poll;
    }

    /**
     * Deploys what the folder holds now and waits until each jar is started or reported as failed
     * (start-up); a start that runs past its limit counts as failed.
     */
    public void deployPresent() {
        deployer.apply(scanner.scan(true)).join();
    }

    /** Starts watching in the background. */
    public void start() throws IOException {
        Files.createDirectories(folder);
        watch = FileSystems.getDefault().newWatchService();
        folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = Thread.ofPlatform().name("plugboard-deployer").daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                Duration wait = scanner.settling() ? settle : poll;
                WatchKey key = watch.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
                BundleScanner.Changes changes = scanner.scan(false);
                if (!changes.isEmpty()) {
                    deployer.apply(changes);
                }
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Scanning " + folder + " failed; retrying", e);
            }
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
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
