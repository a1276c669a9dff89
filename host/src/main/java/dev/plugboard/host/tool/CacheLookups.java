package dev.plugboard.host.tool;

import java.util.concurrent.atomic.LongAdder;

/** Counts of look-ups in a {@link ResultCache}, for the metrics. Thread-safe. */
public final class CacheLookups {

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** Counts one look-up. */
    void record(boolean hit) {
        (hit ? hits : misses).increment();
    }

    /** Look-ups that found a result. */
    public long hits() {
        return hits.sum();
    }

    /** Look-ups that found nothing. */
    public long misses() {
        return misses.sum();
    }
}
