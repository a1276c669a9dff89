package dev.plugboard.api.store;

import java.time.Duration;
import java.util.Optional;

/**
 * Keys and counters one plugin shares across the nodes of a cluster (a host service; each bundle
 * gets its own instance, its keys prefixed with its symbolic name by the host). Every operation may
 * throw {@link SharedStateUnavailableException} while the shared store is out of reach; nothing is
 * queued then, so a caller decides what an outage means (a cache misses, a budget refuses). A
 * blank key (or one longer than 1,024 characters), a null value or a time to live that is not
 * positive is refused with {@link IllegalArgumentException}. Thread-safe.
 */
public interface SharedState {

    /**
     * The outcome of {@link #reserve}.
     *
     * @param granted whether the amount was added
     * @param total the counter's value after the operation (unchanged when refused)
     */
    record Reservation(boolean granted, long total) {
    }

    /** Whether the state is shared with other nodes (Redis), rather than kept in this node's memory. */
    boolean shared();

    /**
     * The value under a key, if it is there and has not expired.
     *
     * @param key the key within this plugin's namespace, not blank
     */
    Optional<byte[]> get(String key);

    /**
     * Keeps a value under a key for a time, replacing what was there.
     *
     * @param ttl how long it is kept, positive
     */
    void put(String key, byte[] value, Duration ttl);

    /** Forgets a key (nothing when it is absent). */
    void delete(String key);

    /**
     * Adds {@code amount} to a counter only if its total then stays at most {@code limit}, atomically
     * across nodes. The counter (absent counts as 0) expires {@code ttl} after it was created.
     *
     * @param amount what to add, not negative
     * @param limit the most the counter may hold
     * @param ttl the counter's lifetime from its creation, positive
     */
    Reservation reserve(String key, long amount, long limit, Duration ttl);

    /**
     * Adds {@code delta} (which may be negative) to a counter without a limit, for settling what a
     * {@link #reserve} held; creates it with {@code ttl} when absent.
     *
     * @return the counter's new value
     */
    long adjust(String key, long delta, Duration ttl);
}
