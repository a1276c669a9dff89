package dev.plugboard.plugins.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes the values a client sends back (maps, lists, strings, numbers, booleans, null) as compact
 * JSON, for the tools that echo what they received, with the Jackson the host exports to bundles.
 */
final class JsonText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonText() {
    }

    /** The value as one line of JSON. */
    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the value as JSON", e);
        }
    }
}
