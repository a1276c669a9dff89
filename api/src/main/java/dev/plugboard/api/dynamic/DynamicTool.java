package dev.plugboard.api.dynamic;

import java.time.Duration;
import java.util.Objects;

/**
 * A tool defined at run time.
 *
 * @param name the name clients call it by: 1 to 128 characters from A-Z, a-z, 0-9, '_', '-' and '.'
 * @param title a human-readable title, or null
 * @param description what it does, or null
 * @param inputSchema the JSON Schema of its arguments as JSON text: an object schema
 *     ({@code "type": "object"}); arguments are checked against it before the handler runs
 * @param outputSchema the JSON Schema of its {@code structuredContent} as JSON text, or null
 * @param hints behaviour hints shown to clients, or null
 * @param timeout its own time limit, or null for the host's
 * @param maxConcurrentCalls how many of its calls may run at once; 0 for the host's default
 * @param handler what runs a call
 */
public record DynamicTool(String name, String title, String description, String inputSchema, String outputSchema,
        Hints hints, Duration timeout, int maxConcurrentCalls, DynamicToolHandler handler) {

    /** Checks that the required parts are there. */
    public DynamicTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputSchema, "inputSchema");
        Objects.requireNonNull(handler, "handler");
        if (maxConcurrentCalls < 0) {
            throw new IllegalArgumentException("maxConcurrentCalls must not be negative");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** A tool with the host's limits and no title, output schema or hints. */
    public static DynamicTool of(String name, String description, String inputSchema, DynamicToolHandler handler) {
        return new DynamicTool(name, null, description, inputSchema, null, null, null, 0, handler);
    }

    /**
     * Behaviour hints, as MCP's tool annotations; null where unknown.
     *
     * @param readOnly the tool does not change its environment
     * @param destructive it may destroy or overwrite data
     * @param idempotent calling it again with the same arguments has no further effect
     * @param openWorld it reaches outside systems
     */
    public record Hints(Boolean readOnly, Boolean destructive, Boolean idempotent, Boolean openWorld) {
    }
}
