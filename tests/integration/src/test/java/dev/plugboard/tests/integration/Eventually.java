package dev.plugboard.tests.integration;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition to become true, polling it, and fails with a description when it does not. */
final class Eventually {

    private Eventually() {
    }

    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /**
     * Waits up to a minute: a limit only decides how long a condition that never comes takes to fail
     * the test, and on a loaded machine a bundle's tools have taken more than 30 s to come.
     */
    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(60), condition);
    }
}
