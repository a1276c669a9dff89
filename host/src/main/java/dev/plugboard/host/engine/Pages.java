package dev.plugboard.host.engine;

import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Cursor pagination over a list sorted by a unique key. A cursor is the opaque encoding of the last
 * key of the previous page, so pages stay consistent when items are added or removed in between.
 * Every door pages this way (MCP list requests, REST list endpoints).
 */
public final class Pages {

    private Pages() {
    }

    /**
     * One page of a sorted list.
     *
     * @param <T> the item type
     * @param items this page
     * @param nextCursor the next page's cursor, or null on the last page
     */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    /** The cursor in a list request's params, or null for the first page. */
    static String cursor(com.fasterxml.jackson.databind.JsonNode params) {
        com.fasterxml.jackson.databind.JsonNode cursor = params == null ? null : params.get("cursor");
        if (cursor == null || cursor.isNull()) {
            return null;
        }
        if (!cursor.isTextual()) {
            throw McpException.invalidParams("Invalid cursor: use the nextCursor of a previous page");
        }
        return cursor.asText();
    }

    /**
     * One page of a list sorted by key.
     *
     * @param cursor the previous page's {@code nextCursor}, or null for the first page
     * @throws McpException (invalid params) for a cursor this class did not make
     */
    public static <T> Page<T> page(List<T> sorted, Function<T, String> key, String cursor, int size) {
        int start = 0;
        if (cursor != null) {
            String after = decode(cursor);
            start = firstAfter(sorted, key, after);
        }
        int end = Math.min(sorted.size(), start + size);
        List<T> items = sorted.subList(start, end);
        String next = end < sorted.size() ? encode(key.apply(sorted.get(end - 1))) : null;
        return new Page<>(items, next);
    }

    private static <T> int firstAfter(List<T> sorted, Function<T, String> key, String after) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (key.apply(sorted.get(mid)).compareTo(after) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k:" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("k:")) {
                return text.substring(2);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw McpException.invalidParams("Invalid cursor: use the nextCursor of a previous page");
    }
}
