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

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(30), condition);
    }
}
