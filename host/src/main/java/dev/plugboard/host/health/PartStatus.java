package dev.plugboard.host.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one part of the server, as the detailed {@code GET /health} lists it.
 *
 * @param state up, degraded (serving, with less) or down
 * @param details what an operator wants to see: maps with string keys, lists, strings, numbers,
 *     booleans (written as JSON); never null
 */
public record PartStatus(State state, Map<String, Object> details) {

    /** From best to worst: the server's state is its worst part's. */
    public enum State {
        /** Working. */
        UP,
        /** Serving, but with less (a failed bundle, a store that is unreachable and replaced by memory). */
        DEGRADED,
        /** Not working. */
        DOWN
    }

    /** Copies the details, keeping their order. */
    public PartStatus {
        Objects.requireNonNull(state, "state");
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Up, with details. */
    public static PartStatus up(Map<String, Object> details) {
        return new PartStatus(State.UP, details);
    }

    /** Degraded, saying why. */
    public static PartStatus degraded(String reason, Map<String, Object> details) {
        return new PartStatus(State.DEGRADED, withReason(reason, details));
    }

    /** Down, saying why. */
    public static PartStatus down(String reason, Map<String, Object> details) {
        return new PartStatus(State.DOWN, withReason(reason, details));
    }

    private static Map<String, Object> withReason(String reason, Map<String, Object> details) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("reason", reason);
        if (details != null) {
            all.putAll(details);
        }
        return all;
    }

    /** The worse of two states. */
    static State worse(State a, State b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
