package dev.plugboard.host.containment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The memory guard against this JVM's real heap: with its threshold just above what the old
 * generation holds now, holding more than that across collections makes it refuse, and letting go
 * makes it accept again.
 */
class MemoryGuardTest {

    @Test
    void refusesWhileTheOldGenerationStaysAboveItsThresholdAndRecoversWhenFreed() {
        MemoryPoolMXBean old = oldGeneration();
        long max = old.getUsage().getMax();
        System.gc();
        long base = old.getUsage().getUsed();
        long margin = 64L * 1024 * 1024;
        // A threshold above what this JVM keeps anyway, then more than that held across collections.
        int percent = (int) ((base + margin) * 100 / max) + 1;
        try (MemoryGuard guard = new MemoryGuard(percent)) {
            assertFalse(guard.underPressure());
            long threshold = max / 100 * percent;
            byte[][] held = new byte[(int) ((threshold - base + margin) / (1024 * 1024))][];
            for (int i = 0; i < held.length; i++) {
                held[i] = new byte[1024 * 1024];
            }
            await("the guard to report pressure", () -> {
                System.gc();
                return guard.underPressure();
            });
            assertTrue(held[held.length - 1].length > 0); // held until here
            held = null;
            await("the guard to accept calls again", () -> {
                System.gc();
                return !guard.underPressure();
            });
        }
    }

    @Test
    void atOneHundredPercentItNeverRefuses() {
        try (MemoryGuard guard = new MemoryGuard(100)) {
            System.gc();
            assertFalse(guard.underPressure());
        }
    }

    private static MemoryPoolMXBean oldGeneration() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
                .filter(p -> {
                    String name = p.getName().toLowerCase(Locale.ROOT);
                    return (name.contains("old") || name.contains("tenured")) && p.getUsage().getMax() > 0;
                })
                .findFirst()
                .orElseThrow(() -> new AssertionError("this JVM's collector has no old generation with a maximum"));
    }

    /** Polls a condition (each poll collects garbage) until it holds, failing after 30 s. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
