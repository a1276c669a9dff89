package dev.plugboard.host.containment;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Tells whether the heap is nearly full after garbage collection, so that the host can refuse new
 * plugin calls before the collector gives up.
 *
 * <p>It sets a collection-usage threshold on the old-generation pool (the one whose usage after a
 * collection shows what really stays): the JVM notifies it when a collection leaves more than that
 * in use, and it reports pressure from then on until a later collection (or the pool's current
 * usage) is below the threshold again. Thread-safe.
 */
public final class MemoryGuard implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MemoryGuard.class.getName());
    /** How often, at most, the guard asks for a collection while it refuses work. */
    private static final long COLLECTION_INTERVAL = TimeUnit.SECONDS.toNanos(5);

    private final MemoryPoolMXBean pool;
    private final long threshold;
    private final NotificationListener listener = this::notified;
    private final AtomicLong lastCollectionRequest = new AtomicLong(System.nanoTime() - COLLECTION_INTERVAL);
    private volatile boolean pressure;

    /**
     * @param percent how full (in percent of its maximum) the old generation may stay after a
     *     collection before new calls are refused; 100 turns the guard off
     */
    public MemoryGuard(int percent) {
        MemoryPoolMXBean found = percent >= 100 ? null : oldGeneration();
        this.pool = found;
        this.threshold = found == null ? Long.MAX_VALUE : found.getUsage().getMax() / 100 * percent;
        if (found != null) {
            found.setCollectionUsageThreshold(threshold);
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
        }
    }

    /** The pool that holds long-lived objects, when it has a maximum and reports collection usage. */
    private static MemoryPoolMXBean oldGeneration() {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()
                        && p.getUsage().getMax() > 0)
                .toList();
        return pools.stream().filter(p -> {
            String name = p.getName().toLowerCase(Locale.ROOT);
            return name.contains("old") || name.contains("tenured");
        }).findFirst().orElse(pools.size() == 1 ? pools.get(0) : null);
    }

    private void notified(Notification n, Object handback) {
        if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType()) && !pressure) {
            pressure = true;
            LOG.warning(() -> "The heap is nearly full after garbage collection (" + pool.getName() + " above "
                    + threshold / (1024 * 1024) + " MiB): new plugin calls are refused until memory is freed");
        }
    }

    /** Whether new work should be refused: the heap stayed nearly full after the last collection. */
    public boolean underPressure() {
        if (!pressure) {
            return false;
        }
        if (pool.getCollectionUsage().getUsed() < threshold || pool.getUsage().getUsed() < threshold) {
            pressure = false;
            LOG.info("The heap has room again: plugin calls are accepted");
            return false;
        }
        requestCollection();
        return true;
    }

    /**
     * While calls are refused little is allocated, so the collector may not run again on its own:
     * ask for a collection now and then, so that the guard notices freed memory.
     */
    private void requestCollection() {
        long last = lastCollectionRequest.get();
        long now = System.nanoTime();
        if (now - last >= COLLECTION_INTERVAL && lastCollectionRequest.compareAndSet(last, now)) {
            Thread.ofVirtual().name("plugboard-memory-guard").start(System::gc);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            try {
                ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already removed
            }
        }
    }
}
