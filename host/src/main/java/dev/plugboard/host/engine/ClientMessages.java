package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.api.client.Root;
import dev.plugboard.api.client.RootsRequest;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.client.SamplingResult;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.content.Role;
import dev.plugboard.host.protocol.content.ContentDecoder;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.prompt.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wire form of what the server asks a client ({@code elicitation/create},
 * {@code sampling/createMessage}, {@code roots/list}) and the reading of the client's answers.
 */
final class ClientMessages {

    private final ObjectMapper mapper;

    ClientMessages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The method of a request. */
    static String method(InputRequest request) {
        return switch (request) {
            case ElicitRequest e -> "elicitation/create";
            case SamplingRequest s -> "sampling/createMessage";
            case RootsRequest r -> "roots/list";
        };
    }

    /** The params of a request. */
    ObjectNode params(InputRequest request) {
        ObjectNode params = mapper.createObjectNode();
        switch (request) {
            case ElicitRequest e -> {
                params.put("mode", "form");
                params.put("message", e.message());
                params.set("requestedSchema", mapper.valueToTree(e.requestedSchema()));
            }
            case SamplingRequest s -> {
                var messages = params.putArray("messages");
                s.messages().forEach(m -> messages.add(Messages.encode(m)));
                params.put("maxTokens", s.maxTokens());
                if (s.systemPrompt() != null) {
                    params.put("systemPrompt", s.systemPrompt());
                }
                if (s.temperature() != null) {
                    params.put("temperature", s.temperature());
                }
                if (!s.stopSequences().isEmpty()) {
                    var stops = params.putArray("stopSequences");
                    s.stopSequences().forEach(stops::add);
                }
            }
            case RootsRequest r -> {
                // no parameters
            }
        }
        return params;
    }

    /** A request as {@code {method, params}}, the form input-required results use. */
    ObjectNode asInputRequest(InputRequest request) {
        ObjectNode node = mapper.createObjectNode().put("method", method(request));
        node.set("params", params(request));
        return node;
    }

    /**
     * Reads the client's answer to a request.
     *
     * @throws McpException with invalid params when the answer does not have the expected shape
     */
    Object answer(String key, InputRequest request, JsonNode raw) {
        if (raw == null || !raw.isObject()) {
            throw McpException.invalidParams("Invalid input response '" + key + "': expected an object");
        }
        try {
            return switch (request) {
                case ElicitRequest e -> elicitResult(raw);
                case SamplingRequest s -> samplingResult(raw);
                case RootsRequest r -> roots(raw);
            };
        } catch (McpException e) {
            throw McpException.invalidParams("Invalid input response '" + key + "': " + e.getMessage());
        }
    }

    private ElicitResult elicitResult(JsonNode raw) {
        String action = raw.path("action").asText("");
        ElicitResult.Action parsed;
        try {
            parsed = ElicitResult.Action.valueOf(action.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw McpException.invalidParams("\"action\" must be accept, decline or cancel, not '" + action + "'");
        }
        JsonNode content = raw.get("content");
        if (content != null && !content.isNull() && !content.isObject()) {
            throw McpException.invalidParams("\"content\" must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = content == null || content.isNull() ? Map.of() : mapper.convertValue(content, Map.class);
        return new ElicitResult(parsed, values);
    }

    private SamplingResult samplingResult(JsonNode raw) {
        String role = raw.path("role").asText("assistant");
        Role parsed = "user".equals(role) ? Role.USER : Role.ASSISTANT;
        return new SamplingResult(new Message(parsed, ContentDecoder.decode(raw.get("content"))),
                raw.hasNonNull("model") ? raw.get("model").asText() : null,
                raw.hasNonNull("stopReason") ? raw.get("stopReason").asText() : null);
    }

    private static List<Root> roots(JsonNode raw) {
        JsonNode roots = raw.get("roots");
        if (roots == null || !roots.isArray()) {
            throw McpException.invalidParams("\"roots\" must be an array");
        }
        List<Root> out = new ArrayList<>();
        for (JsonNode r : roots) {
            if (!r.path("uri").isTextual()) {
                throw McpException.invalidParams("every root needs a string \"uri\"");
            }
            out.add(new Root(r.get("uri").asText(), r.hasNonNull("name") ? r.get("name").asText() : null));
        }
        return List.copyOf(out);
    }
}
