package dev.plugboard.host.store;

import dev.plugboard.api.store.SharedState;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Shared state of one node alone: values and counters in this process's memory, each until its
 * time to live passes (expired entries are dropped when read and swept every so many writes).
 */
public final class MemorySharedState implements SharedState {

    private static final int SWEEP_EVERY = 1024;

    private record Held(byte[] value, long count, long expires) {
    }

    private final LongSupplier nanos;
    private final Map<String, Held> entries = new HashMap<>();
    private int writes;

    /** State on {@link System#nanoTime()}. */
    public MemorySharedState() {
        this(System::nanoTime);
    }

    /** @param nanos the clock expiry is measured on, in nanoseconds */
    MemorySharedState(LongSupplier nanos) {
        this.nanos = nanos;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public synchronized Optional<byte[]> get(String key) {
        Held h = fresh(key);
        return h == null || h.value == null ? Optional.empty() : Optional.of(h.value.clone());
    }

    @Override
    public synchronized void put(String key, byte[] value, Duration ttl) {
        write(key, new Held(value.clone(), 0, nanos.getAsLong() + ttl.toNanos()));
    }

    @Override
    public synchronized void delete(String key) {
        entries.remove(key);
    }

    @Override
    public synchronized Reservation reserve(String key, long amount, long limit, Duration ttl) {
        Held h = fresh(key);
        long total = h == null ? 0 : h.count;
        if (total + amount > limit) {
            return new Reservation(false, total);
        }
        write(key, new Held(null, total + amount, h == null ? nanos.getAsLong() + ttl.toNanos() : h.expires));
        return new Reservation(true, total + amount);
    }

    @Override
    public synchronized long adjust(String key, long delta, Duration ttl) {
        Held h = fresh(key);
        long total = (h == null ? 0 : h.count) + delta;
        write(key, new Held(null, total, h == null ? nanos.getAsLong() + ttl.toNanos() : h.expires));
        return total;
    }

    private Held fresh(String key) {
        Held h = entries.get(key);
        if (h != null && nanos.getAsLong() - h.expires > 0) {
            entries.remove(key);
            return null;
        }
        return h;
    }

    private void write(String key, Held held) {
        entries.put(key, held);
        if (++writes % SWEEP_EVERY == 0) {
            long now = nanos.getAsLong();
            for (Iterator<Held> i = entries.values().iterator(); i.hasNext();) {
                if (now - i.next().expires > 0) {
                    i.remove();
                }
            }
        }
    }
}
