package dev.plugboard.host.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The responses that hold their SSE stream back in the hope of answering in one write, and one
 * thread that opens the stream of any still running after the delay. Holding and releasing cost a
 * set insertion and removal, with no thread woken per request. Thread-safe.
 */
final class HeldStreams implements AutoCloseable {

    private final Set<LazyResponse> held = ConcurrentHashMap.newKeySet();
    private final long delayNanos;
    private final Thread ticker;
    private volatile boolean running = true;

    /** @param delay how long a response may hold its stream back */
    HeldStreams(Duration delay) {
        this.delayNanos = delay.toNanos();
        this.ticker = Thread.ofPlatform().daemon().name("sse-held-streams").start(this::tick);
    }

    /** Holds a response's stream back until it is released or the delay passes. */
    void hold(LazyResponse response) {
        response.holdUntil(System.nanoTime() + delayNanos);
        held.add(response);
    }

    /** The response no longer needs its stream opened by this. */
    void release(LazyResponse response) {
        held.remove(response);
    }

    private void tick() {
        while (running) {
            LockSupport.parkNanos(delayNanos / 2);
            long now = System.nanoTime();
            for (LazyResponse r : held) {
                if (now - r.heldUntil() >= 0 && held.remove(r)) {
                    r.openNow();
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(ticker);
        held.clear();
        try {
            ticker.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
