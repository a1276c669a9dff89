package dev.plugboard.api.client;

import java.util.Map;
import java.util.Objects;

/**
 * Asks the user for input through a form.
 *
 * @param message what to ask; never null
 * @param requestedSchema the form as a restricted JSON Schema object (flat properties of string,
 *     number, integer, boolean or enum type), written as nested maps, lists and values
 */
public record ElicitRequest(String message, Map<String, Object> requestedSchema) implements InputRequest {

    /** Rejects nulls and copies the schema. */
    public ElicitRequest {
        Objects.requireNonNull(message, "message");
        requestedSchema = Map.copyOf(Objects.requireNonNull(requestedSchema, "requestedSchema"));
    }

    /** A form with one required string field. */
    public static ElicitRequest text(String message, String field, String description) {
        return new ElicitRequest(message, Map.of("type", "object",
                "properties", Map.of(field, Map.of("type", "string", "description", description)),
                "required", java.util.List.of(field)));
    }

    @Override
    public ClientCapability capability() {
        return ClientCapability.ELICITATION;
    }
}
