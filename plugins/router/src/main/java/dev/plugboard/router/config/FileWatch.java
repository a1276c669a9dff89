package dev.plugboard.router.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows one file: reports its content at start and whenever it changes (a missing file reads as
 * empty). Polls its size and time stamp every 200 ms and reads it only when they changed, then
 * reports it only when the bytes differ from the last report, so a touch does not restart anything.
 */
public final class FileWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FileWatch.class.getName());
    private static final long POLL_MILLIS = 200;

    private final Path file;
    private final Consumer<byte[]> changed;
    private final Thread thread;
    private volatile boolean stopped;
    private String stamp = "";
    private byte[] last;

    public FileWatch(Path file, Consumer<byte[]> changed) {
        this.file = file;
        this.changed = changed;
        this.thread = Thread.ofPlatform().daemon().name("router-config-watch").unstarted(this::run);
    }

    /** Reports the content now, then follows changes. */
    public void start() {
        check();
        thread.start();
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

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
