package dev.plugboard.router.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Answers kept by an exact key: the caller, what the client asked for (model, tier or {@code auto}),
 * the messages (system prompt included), tools and every sampling parameter. Callers never share
 * entries. In memory, least recently used out first, each entry for a fixed time. Thread-safe.
 */
public final class ExactCache {

    /** Request fields that do not change the answer, left out of the key. */
    private static final Set<String> NOT_KEYED = Set.of("stream", "stream_options", "user", "plugboard");

    /**
     * A kept answer.
     *
     * @param completion the {@code chat.completion} object as first answered
     * @param tier the tier that answered, or null
     * @param model the model alias that answered
     */
    public record Entry(ObjectNode completion, String tier, String model) {
    }

    private record Timed(Entry entry, long expires) {
    }

    private final int maxEntries;
    private final Duration ttl;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Timed> entries = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param maxEntries the most answers kept
     * @param ttl how long an answer is served
     * @param clock nanoseconds, {@code System::nanoTime}
     */
    public ExactCache(int maxEntries, Duration ttl, LongSupplier clock) {
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The key of a request from one caller. */
    public static String key(ObjectMapper mapper, String caller, String requested, ObjectNode body) {
        ObjectNode keyed = mapper.createObjectNode();
        keyed.put("caller", caller);
        keyed.put("requested", requested);
        body.properties().forEach(e -> {
            if (!NOT_KEYED.contains(e.getKey()) && !e.getKey().equals("model")) {
                keyed.set(e.getKey(), e.getValue());
            }
        });
        StringBuilder canonical = new StringBuilder();
        write(canonical, keyed);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(StringBuilder out, JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (String n : names) {
                out.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(n)).append(':');
                write(out, node.get(n));
                out.append(',');
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            node.forEach(n -> {
                write(out, n);
                out.append(',');
            });
            out.append(']');
        } else if (node.isNumber()) {
            out.append(node.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            out.append(node);
        }
    }

    /** The answer kept under a key, if it is still fresh. */
    public synchronized Optional<Entry> get(String key) {
        Timed t = entries.get(key);
        if (t == null) {
            return Optional.empty();
        }
        if (clock.getAsLong() - t.expires > 0) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(t.entry);
    }

    /** Keeps an answer. */
    public synchronized void put(String key, Entry entry) {
        entries.put(key, new Timed(entry, clock.getAsLong() + ttl.toNanos()));
        while (entries.size() > maxEntries) {
            var eldest = entries.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** How many answers are kept. */
    public synchronized int size() {
        return entries.size();
    }

    /** Forgets everything. */
    public synchronized void clear() {
        entries.clear();
    }

    /** For tests and health: entries by key. */
    synchronized Map<String, Entry> snapshot() {
        Map<String, Entry> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v.entry));
        return out;
    }
}
