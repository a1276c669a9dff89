package dev.plugboard.host.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.catalog.RegisteredTool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * Results of the tools that allow it ({@code @Tool(cacheSeconds = ...)}), by {@link #key}: in memory
 * or in a shared store. Implementations are thread-safe and drop what they hold when tools change.
 */
public interface ResultCache {

    /** Caches nothing. */
    ResultCache NONE = new ResultCache() {
        @Override
        public JsonNode get(String key) {
            return null;
        }

        @Override
        public void put(String key, JsonNode result, Duration ttl) {
        }
    };

    /** The cached result (a copy the caller may change), or null. */
    JsonNode get(String key);

    /** Caches a result for a while. */
    void put(String key, JsonNode result, Duration ttl);

    /** Drops a cached result, if there is one (without waiting). */
    default void remove(String key) {
    }

    /** This cache, counting its look-ups as hits and misses. */
    default ResultCache counted(CacheLookups lookups) {
        ResultCache cache = this;
        return new ResultCache() {
            @Override
            public JsonNode get(String key) {
                JsonNode hit = cache.get(key);
                lookups.record(hit != null);
                return hit;
            }

            @Override
            public void put(String key, JsonNode result, Duration ttl) {
                cache.put(key, result, ttl);
            }

            @Override
            public void remove(String key) {
                cache.remove(key);
            }
        };
    }

    /**
     * The key of a call: the tool, its plugin and that plugin's version, and the arguments as canonical
     * JSON (object members sorted by name), hashed.
     */
    static String key(RegisteredTool tool, JsonNode arguments) {
        StringBuilder text = new StringBuilder(tool.name()).append('\n').append(tool.provider().bundleName())
                .append('\n').append(tool.provider().bundleVersion()).append('\n');
        canonical(arguments, text);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node == null || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            out.append('{');
            boolean first = true;
            for (var e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey())).append(':');
                canonical(e.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                canonical(it.next(), out);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append(']');
        } else {
            out.append(node);
        }
    }
}
