package dev.plugboard.api.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows one configuration file: reports its content at start and whenever it changes, a missing
 * file as empty content. It polls the file's size and time stamp every 200 ms, reads the file only
 * when they changed, and reports it only when the bytes differ from the last report, so touching
 * the file restarts nothing. Reports come one at a time, from the thread of {@link #follow} for the
 * first and from the watch's own daemon thread after; a report that throws is logged and the next
 * change is reported as usual. Write the file by renaming a finished temporary file into place, so
 * that a half-written file is never read.
 *
 * <pre>{@code
 * ConfigFileWatch watch = ConfigFileWatch.follow(configDir.resolve("my-plugin.json"), "my-plugin", this::apply);
 * ...
 * watch.close(); // in @Deactivate
 * }</pre>
 */
public final class ConfigFileWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigFileWatch.class.getName());
    private static final long POLL_MILLIS = 200;

    private final Path file;
    private final Consumer<byte[]> changed;
    private final Thread thread;
    private volatile boolean stopped;
    private String stamp = "";
    private byte[] last;

    private ConfigFileWatch(Path file, String name, Consumer<byte[]> changed) {
        this.file = Objects.requireNonNull(file, "file");
        this.changed = Objects.requireNonNull(changed, "changed");
        this.thread = Thread.ofPlatform().daemon().name(name + "-config-watch").unstarted(this::run);
    }

    /**
     * Reports the file's content now (before returning), then follows its changes until closed.
     *
     * @param file the file to follow; it need not exist
     * @param name names the watch's thread ({@code <name>-config-watch})
     * @param changed receives the whole content after each change; empty when the file is missing
     */
    public static ConfigFileWatch follow(Path file, String name, Consumer<byte[]> changed) {
        ConfigFileWatch watch = new ConfigFileWatch(file, name, changed);
        watch.check();
        watch.thread.start();
        return watch;
    }

    private void run() {
        while (!stopped) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            check();
        }
    }

    private void check() {
        byte[] content;
        try {
            String now = Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
            if (now.equals(stamp)) {
                return;
            }
            stamp = now;
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            stamp = "missing";
            content = new byte[0];
        } catch (IOException e) {
            LOG.warning(() -> "Cannot read " + file + ": " + e.getMessage());
            return;
        }
        if (last != null && Arrays.equals(last, content)) {
            return;
        }
        last = content;
        try {
            changed.accept(content);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Applying " + file + " failed", e);
        }
    }

    /** Stops following the file; waits up to 5 s for a report in progress to end. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
