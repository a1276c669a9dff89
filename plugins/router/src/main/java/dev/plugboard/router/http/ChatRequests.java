package dev.plugboard.router.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.conversation.Conversations;
import dev.plugboard.router.ChatCall;
import dev.plugboard.router.RouterException;
import dev.plugboard.router.routing.ModelPreferences;
import dev.plugboard.router.routing.RouteDecision;

/**
 * Reads the JSON bodies of the {@code /v1} doors into {@link ChatCall}s. Plugboard's own fields ride
 * in a {@code plugboard} object beside the OpenAI ones ({@code conversationId}, {@code qualityLevel},
 * {@code project}, {@code modelPreferences}, {@code maxCostUsd}), which the {@code openai} clients
 * pass through as an extra body field. The GraphQL fields build the same bodies from their arguments,
 * so every door shares one reading and one answer shape.
 */
public final class ChatRequests {

    private ChatRequests() {
    }

    /**
     * A message-shaped body ({@code /v1/route}, {@code /v1/chat}, GraphQL): {@code {"message",
     * "conversationId"?, "model"?, "qualityLevel"?, "project"?, "modelPreferences"?, "maxCostUsd"?}},
     * or a chat-completions body when it has {@code messages}.
     *
     * @throws RouterException 400 naming what is wrong
     */
    public static ChatCall message(ObjectMapper mapper, String caller, ObjectNode body) throws RouterException {
        if (body.has("messages")) {
            return completions(caller, body);
        }
        String message = text(body, "message");
        if (message == null || message.isBlank()) {
            throw RouterException.invalid("\"message\" must be a non-empty string (or send OpenAI \"messages\")");
        }
        ObjectNode request = mapper.createObjectNode();
        request.put("model", text(body, "model") == null ? "auto" : text(body, "model"));
        request.putArray("messages").addObject().put("role", "user").put("content", message);
        return call(caller, request, body);
    }

    /** A routing decision as {@code /v1/route} and GraphQL's {@code routerRoute} answer it. */
    public static ObjectNode decision(ObjectMapper mapper, RouteDecision d) {
        ObjectNode out = mapper.createObjectNode();
        out.put("tier", d.tier());
        out.set("models", mapper.valueToTree(d.models()));
        out.put("escalate", d.escalate());
        out.put("policy", d.policy());
        out.put("reason", d.reason());
        out.set("neighbours", mapper.valueToTree(d.neighbours()));
        return out;
    }

    /** A completed chat as {@code /v1/chat} and GraphQL's {@code routerChat} answer it. */
    public static ObjectNode reply(ObjectMapper mapper, ChatCall call, ObjectNode answer) {
        ObjectNode out = mapper.createObjectNode();
        out.put("conversationId", call.conversationId());
        out.put("reply", answer.path("choices").path(0).path("message").path("content").asText(""));
        out.put("model", answer.path("model").asText());
        out.set("usage", answer.get("usage"));
        out.set("plugboard", answer.get("plugboard"));
        return out;
    }

    /** A conversation as {@code GET /v1/context/{id}} and GraphQL's {@code routerConversation} answer it. */
    public static ObjectNode context(ObjectMapper mapper, String id, Conversations.Conversation c) {
        ObjectNode out = mapper.createObjectNode();
        out.put("conversationId", id);
        out.put("summary", c.summary());
        ArrayNode messages = out.putArray("messages");
        c.messages().forEach(messages::add);
        return out;
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
