package dev.plugboard.host.security;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The counters behind rate limits, by key (a credential, or a credential and a tool). Kept in
 * memory by {@link #inMemory()}; a store shared by several nodes (Redis) implements the same two
 * operations. Implementations are thread-safe.
 */
public interface RateCounters {

    /**
     * Counts one request against a fixed window.
     *
     * @param key what is counted
     * @param max how many requests a window admits
     * @param interval the window's length
     * @return 0 when admitted, else the milliseconds until the window ends (at least 1)
     */
    long take(String key, int max, Duration interval);

    /**
     * Enters a concurrency limit.
     *
     * @return whether there was room; a true answer must be matched by one {@link #leave}
     */
    boolean enter(String key, int max);

    /** Leaves what {@link #enter} admitted. */
    void leave(String key);

    /** Counters in this process's memory. */
    static RateCounters inMemory() {
        return inMemory(System::currentTimeMillis);
    }

    /** Counters in memory on a given clock (milliseconds). */
    static RateCounters inMemory(LongSupplier clockMillis) {
        return new RateCounters() {
            private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();
            private final ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
            private final AtomicLong takes = new AtomicLong();

            @Override
            public long take(String key, int max, Duration interval) {
                long now = clockMillis.getAsLong();
                long length = Math.max(1, interval.toMillis());
                long start = now - Math.floorMod(now, length);
                long[] waited = {0};
                windows.compute(key, (k, w) -> {
                    if (w == null || w[0] != start) {
                        w = new long[] {start, 0};
                    }
                    if (w[1] >= max) {
                        waited[0] = Math.max(1, start + length - now);
                    } else {
                        w[1]++;
                    }
                    return w;
                });
                if ((takes.incrementAndGet() & 0xFFFF) == 0) {
                    windows.values().removeIf(w -> w[0] + length < now && w[0] != start);
                }
                return waited[0];
            }

            @Override
            public boolean enter(String key, int max) {
                AtomicInteger n = running.computeIfAbsent(key, k -> new AtomicInteger());
                while (true) {
                    int current = n.get();
                    if (current >= max) {
                        return false;
                    }
                    if (n.compareAndSet(current, current + 1)) {
                        return true;
                    }
                }
            }

            @Override
            public void leave(String key) {
                AtomicInteger n = running.get(key);
                if (n != null) {
                    n.decrementAndGet();
                }
            }
        };
    }
}
