package dev.plugboard.router.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.ChatCall;
import dev.plugboard.router.RouterException;
import dev.plugboard.router.routing.ModelPreferences;

/**
 * Reads the JSON bodies of the {@code /v1} doors into {@link ChatCall}s. Plugboard's own fields ride
 * in a {@code plugboard} object beside the OpenAI ones ({@code conversationId}, {@code qualityLevel},
 * {@code project}, {@code modelPreferences}, {@code maxCostUsd}), which the {@code openai} clients
 * pass through as an extra body field.
 */
final class ChatRequests {

    private ChatRequests() {
    }

    static ObjectNode object(ObjectMapper mapper, String json) throws RouterException {
        JsonNode node;
        try {
            node = json == null || json.isBlank() ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw RouterException.invalid("the body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || !node.isObject()) {
            throw RouterException.invalid("the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** A chat-completions body. */
    static ChatCall completions(String caller, ObjectNode body) throws RouterException {
        if (body.has("model") && !body.path("model").isTextual()) {
            throw RouterException.invalid("\"model\" must be a string: a tier, a model, or auto");
        }
        if (body.has("stream") && !body.path("stream").isBoolean()) {
            throw RouterException.invalid("\"stream\" must be true or false");
        }
        if (body.has("n") && body.path("n").asInt(1) != 1) {
            throw RouterException.invalid("\"n\" other than 1 is not supported by the router");
        }
        JsonNode extra = body.path("plugboard");
        if (!extra.isMissingNode() && !extra.isObject()) {
            throw RouterException.invalid("\"plugboard\" must be an object");
        }
        return call(caller, body, extra);
    }

    static ChatCall call(String caller, ObjectNode body, JsonNode extra) throws RouterException {
        String conversation = text(extra, "conversationId");
        if (conversation != null && (conversation.isBlank() || conversation.length() > 200)) {
            throw RouterException.invalid("conversationId must be 1 to 200 characters");
        }
        ModelPreferences preferences;
        try {
            preferences = ModelPreferences.of(extra.get("modelPreferences"));
        } catch (IllegalArgumentException e) {
            throw RouterException.invalid(e.getMessage());
        }
        JsonNode cost = extra.path("maxCostUsd");
        if (!cost.isMissingNode() && (!cost.isNumber() || cost.asDouble() <= 0)) {
            throw RouterException.invalid("maxCostUsd must be a positive number of USD");
        }
        return new ChatCall(caller, body, text(extra, "qualityLevel"), text(extra, "project"), preferences,
                conversation, cost.isMissingNode() ? null : cost.asDouble());
    }

    static String text(JsonNode node, String field) throws RouterException {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw RouterException.invalid("\"" + field + "\" must be a string");
        }
        return v.asText();
    }
}
