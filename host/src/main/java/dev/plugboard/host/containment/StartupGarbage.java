package dev.plugboard.host.containment;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Gives back the heap that start-up used once, when start-up is over. Starting allocates far more
 * than the host keeps (bundle jars read, classes scanned, schemas and indexes built); the collector
 * would return that memory to the operating system only after a minute or more of idling. One full
 * collection when start-up has settled brings the idle footprint down at once; the launcher's heap
 * settings then give the freed heap back.
 *
 * <p>Runs on a daemon thread of the lowest priority, so it never competes with serving.
 */
public final class StartupGarbage implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StartupGarbage.class.getName());
    private static final Duration POLL = Duration.ofMillis(100);

    private final Thread thread;

    private StartupGarbage(Thread thread) {
        this.thread = thread;
    }

    /**
     * Starts waiting until {@code settled} holds (or {@code limit} has passed), then collects once.
     *
     * @param settled whether the work that follows start-up (such as indexing the catalogue) is done
     * @param limit how long to wait for it at most
     */
    public static StartupGarbage collectWhen(BooleanSupplier settled, Duration limit) {
        Thread thread = Thread.ofPlatform().daemon().name("startup-gc").priority(Thread.MIN_PRIORITY).unstarted(() -> {
            long deadline = System.nanoTime() + limit.toNanos();
            try {
                while (!settled.getAsBoolean() && System.nanoTime() < deadline) {
                    Thread.sleep(POLL);
                }
            } catch (InterruptedException e) {
                return; // the host is closing
            }
            long before = used();
            System.gc();
            LOG.fine(() -> "Collected start-up garbage: heap " + before / (1 << 20) + " MiB used before, "
                    + used() / (1 << 20) + " MiB after");
        });
        thread.start();
        return new StartupGarbage(thread);
    }

    private static long used() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
