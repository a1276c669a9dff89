package dev.plugboard.host.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RecentLogsTest {

    private static final Logger LOG = Logger.getLogger("dev.plugboard.test.recent");

    @Test
    void keepsTheNewestRecordsInOrderAndFiltersByLevel() {
        try (RecentLogs logs = RecentLogs.install(3)) {
            long start = logs.after(Long.MAX_VALUE - 1, Level.ALL, 10).last();
            LOG.info("one");
            LOG.warning("two {0}");
            LOG.log(Level.INFO, "three {0}", "x");
            LOG.severe("four");
            RecentLogs.Slice all = logs.after(start, Level.ALL, 10);
            List<String> mine = all.entries().stream().filter(e -> e.logger().equals(LOG.getName()))
                    .map(RecentLogs.Entry::message).toList();
            assertEquals(List.of("two {0}", "three x", "four"), mine, "the oldest fell out of a ring of 3");
            assertEquals(List.of("four"), logs.after(start, Level.SEVERE, 10).entries().stream()
                    .filter(e -> e.logger().equals(LOG.getName())).map(RecentLogs.Entry::message).toList());
            assertTrue(logs.after(all.last(), Level.ALL, 10).entries().isEmpty(), "nothing after the last");
            assertEquals(1, logs.after(start, Level.ALL, 1).entries().size(), "the limit keeps the newest");
            assertEquals("four", logs.after(start, Level.ALL, 1).entries().get(0).message());
        }
    }

    @Test
    void anExceptionIsOneLineWithoutItsStackTrace() {
        try (RecentLogs logs = RecentLogs.install(10)) {
            long start = logs.after(Long.MAX_VALUE - 1, Level.ALL, 10).last();
            LOG.log(Level.WARNING, "failed", new IllegalStateException("broken\nsecond line"));
            RecentLogs.Entry e = logs.after(start, Level.WARNING, 10).entries().getLast();
            assertEquals("java.lang.IllegalStateException: broken", e.thrown());
            assertFalse(e.thrown().contains("at "));
            LOG.warning("plain");
            assertNull(logs.after(start, Level.WARNING, 10).entries().getLast().thrown());
        }
    }

    @Test
    void closingStopsKeeping() {
        RecentLogs logs = RecentLogs.install(10);
        logs.close();
        long last = logs.after(0, Level.ALL, 10).last();
        LOG.warning("after close");
        assertEquals(last, logs.after(0, Level.ALL, 10).last());
    }

    @Test
    void levelNames() {
        assertEquals(Level.SEVERE, RecentLogs.level("error").orElseThrow());
        assertEquals(Level.WARNING, RecentLogs.level("WARN").orElseThrow());
        assertEquals(Level.FINE, RecentLogs.level("debug").orElseThrow());
        assertTrue(RecentLogs.level("800").isEmpty());
        assertTrue(RecentLogs.level("loud").isEmpty());
    }
}
