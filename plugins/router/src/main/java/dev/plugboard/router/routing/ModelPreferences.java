package dev.plugboard.router.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * MCP's {@code modelPreferences}: priorities in 0..1 and model-name hints, as a client sends them in
 * {@code sampling/createMessage}, honoured the same way on the router's tools and REST bodies.
 *
 * @param costPriority how much a low price matters, or null
 * @param speedPriority how much speed matters, or null
 * @param intelligencePriority how much capability matters, or null
 * @param hints substrings of model names, most preferred first
 */
public record ModelPreferences(Double costPriority, Double speedPriority, Double intelligencePriority,
        List<String> hints) {

    /** Copies the hints. */
    public ModelPreferences {
        hints = hints == null ? List.of() : List.copyOf(hints);
    }

    /** No preference. */
    public static final ModelPreferences NONE = new ModelPreferences(null, null, null, List.of());

    /**
     * Reads the MCP object.
     *
     * @throws IllegalArgumentException naming a priority out of 0..1 or a malformed hint
     */
    public static ModelPreferences of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("modelPreferences must be an object");
        }
        List<String> hints = new ArrayList<>();
        for (JsonNode h : node.path("hints")) {
            if (!h.path("name").isTextual()) {
                throw new IllegalArgumentException("each modelPreferences hint must be an object with a \"name\" string");
            }
            hints.add(h.path("name").asText());
        }
        return new ModelPreferences(priority(node, "costPriority"), priority(node, "speedPriority"),
                priority(node, "intelligencePriority"), hints);
    }

    private static Double priority(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
            throw new IllegalArgumentException("modelPreferences." + field + " must be a number from 0 to 1");
        }
        return v.asDouble();
    }

    /** Whether the client said anything. */
    public boolean isEmpty() {
        return costPriority == null && speedPriority == null && intelligencePriority == null && hints.isEmpty();
    }
}
