package dev.plugboard.host.logging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The last log records of the process, in a bounded ring in memory, for the admin API's log tail
 * ({@code GET /api/v1/admin/logs}): a handler on the root logger that keeps each record's time, level,
 * logger, formatted message and, for a record with an exception, that exception's one-line summary
 * (never its stack trace). Each record gets a sequence number, so a reader asks for what came after
 * the last one it saw. Thread-safe.
 */
public final class RecentLogs extends Handler implements AutoCloseable {

    /** A message longer than this is cut. */
    static final int MAX_MESSAGE = 2000;

    private static final Map<String, Level> NAMES = Map.ofEntries(Map.entry("SEVERE", Level.SEVERE),
            Map.entry("ERROR", Level.SEVERE), Map.entry("WARNING", Level.WARNING), Map.entry("WARN", Level.WARNING),
            Map.entry("INFO", Level.INFO), Map.entry("CONFIG", Level.CONFIG), Map.entry("FINE", Level.FINE),
            Map.entry("DEBUG", Level.FINE), Map.entry("FINER", Level.FINER), Map.entry("FINEST", Level.FINEST),
            Map.entry("TRACE", Level.FINEST), Map.entry("ALL", Level.ALL));

    /**
     * One log record.
     *
     * @param seq its sequence number, from 1, rising
     * @param at when it was logged
     * @param level its level's name ({@code SEVERE}, {@code WARNING}, {@code INFO}, ...)
     * @param logger the logger's name
     * @param message the formatted message
     * @param thrown the exception's one-line summary, or null
     */
    public record Entry(long seq, Instant at, String level, String logger, String message, String thrown) {
    }

    /**
     * A slice of the ring.
     *
     * @param entries the records, oldest first
     * @param last the sequence number of the newest record kept (0 before the first); ask after it next
     */
    public record Slice(List<Entry> entries, long last) {
    }

    private final Formatter formatter = new SimpleFormatter();
    private final Entry[] ring;
    private final int[] levels;
    private final Logger root;
    private long next = 1;

    private RecentLogs(int capacity, Logger root) {
        this.ring = new Entry[capacity];
        this.levels = new int[capacity];
        this.root = root;
        setLevel(Level.ALL);
    }

    /**
     * Starts keeping the records the root logger publishes.
     *
     * @param capacity how many records are kept
     * @return the ring; {@link #close()} stops it
     */
    public static RecentLogs install(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        RecentLogs logs = new RecentLogs(capacity, Logger.getLogger(""));
        logs.root.addHandler(logs);
        return logs;
    }

    /** A level's name as the API takes it (JUL's names, and ERROR, WARN, DEBUG, TRACE); empty for an unknown one. */
    public static java.util.Optional<Level> level(String name) {
        return java.util.Optional.ofNullable(name == null ? null : NAMES.get(name.strip().toUpperCase(Locale.ROOT)));
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        String message;
        try {
            message = formatter.formatMessage(record);
        } catch (RuntimeException e) {
            message = String.valueOf(record.getMessage());
        }
        Throwable thrown = record.getThrown();
        String summary = thrown == null ? null : cut(String.valueOf(thrown).lines().findFirst().orElse(""));
        synchronized (ring) {
            long seq = next++;
            int slot = (int) ((seq - 1) % ring.length);
            levels[slot] = record.getLevel().intValue();
            ring[slot] = new Entry(seq, record.getInstant(), record.getLevel().getName(),
                    String.valueOf(record.getLoggerName()), cut(message), summary);
        }
    }

    private static String cut(String text) {
        return text == null ? "" : text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }

    /**
     * The kept records after a sequence number, at or above a level, oldest first.
     *
     * @param after the last sequence number the reader saw (0 for all)
     * @param min the lowest level wanted
     * @param limit at most this many: the newest of them when there are more
     */
    public Slice after(long after, Level min, int limit) {
        List<Entry> out = new ArrayList<>();
        long last;
        synchronized (ring) {
            last = next - 1;
            long first = Math.max(after + 1, next - ring.length);
            for (long seq = Math.max(first, 1); seq < next; seq++) {
                int slot = (int) ((seq - 1) % ring.length);
                if (levels[slot] >= min.intValue()) {
                    out.add(ring[slot]);
                }
            }
        }
        List<Entry> kept = out.size() <= limit ? out : out.subList(out.size() - limit, out.size());
        return new Slice(List.copyOf(kept), last);
    }

    @Override
    public void flush() {
        // in memory
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
