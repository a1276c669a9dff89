package dev.plugboard.host.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.tool.ResultCache;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cached tool results and resource reads in this node's memory, at most {@value #MAX_ENTRIES};
 * emptied when tools or resources change.
 */
final class MemoryResultCache implements ResultCache {

    static final int MAX_ENTRIES = 10_000;

    private record Entry(JsonNode result, long expiresNanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public JsonNode get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.expiresNanos() > 0) {
            entries.remove(key, e);
            return null;
        }
        return e.result().deepCopy();
    }

    @Override
    public void put(String key, JsonNode result, Duration ttl) {
        if (entries.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            entries.values().removeIf(e -> now - e.expiresNanos() > 0);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, new Entry(result.deepCopy(), System.nanoTime() + ttl.toNanos()));
    }

    @Override
    public void remove(String key) {
        entries.remove(key);
    }

    /** Drops every cached result (tools or resources changed). */
    void clear() {
        entries.clear();
    }
}
