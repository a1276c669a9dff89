package dev.plugboard.host.security;

import java.time.Duration;

/**
 * The rate counters of the security layer: in this process's memory until {@link Security#share}
 * hands it counters shared by every node (once, at start, before any request is served).
 */
final class SharedCounters implements RateCounters {

    private final RateCounters local = RateCounters.inMemory();
    private volatile RateCounters current = local;

    void use(RateCounters shared) {
        current = shared;
    }

    @Override
    public long take(String key, int max, Duration interval) {
        return current.take(key, max, interval);
    }

    @Override
    public boolean enter(String key, int max) {
        return current.enter(key, max);
    }

    @Override
    public void leave(String key) {
        current.leave(key);
    }
}
