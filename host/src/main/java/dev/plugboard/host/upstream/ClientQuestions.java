package dev.plugboard.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.api.client.InputResponses;
import dev.plugboard.api.client.Root;
import dev.plugboard.api.client.RootsRequest;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.client.SamplingResult;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.content.Role;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.host.prompt.Messages;
import dev.plugboard.host.protocol.content.ContentDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an upstream server asks of the client ({@code elicitation/create},
 * {@code sampling/createMessage}, {@code roots/list}), passed on through the calling client's
 * {@link RequestContext}, which asks it in the client's own revision (a request in a session, an
 * input-required result for a stateless client), and the answers put back in the wire form the
 * upstream expects.
 */
final class ClientQuestions {

    /** The methods an upstream may ask the client. */
    static final List<String> METHODS = List.of("elicitation/create", "sampling/createMessage", "roots/list");

    private final ObjectMapper mapper;

    ClientQuestions(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Asks one question and waits for the answer.
     *
     * @throws IllegalArgumentException when the upstream's request cannot be read or passed on
     */
    JsonNode ask(RequestContext context, String method, JsonNode params) {
        InputRequest request = request(method, params);
        return switch (request) {
            case ElicitRequest e -> elicitResult(context.elicit(e));
            case SamplingRequest s -> samplingResult(context.sample(s));
            case RootsRequest r -> roots(context.roots());
        };
    }

    /**
     * Asks the questions of a stateless input-required result together, and returns the
     * {@code inputResponses} of the retry.
     */
    ObjectNode answers(RequestContext context, JsonNode inputRequests) {
        if (inputRequests == null || !inputRequests.isObject() || inputRequests.isEmpty()) {
            throw new IllegalArgumentException("an input-required result without inputRequests");
        }
        Map<String, InputRequest> asked = new LinkedHashMap<>();
        inputRequests.properties().forEach(e -> asked.put(e.getKey(),
                request(e.getValue().path("method").asText(), e.getValue().path("params"))));
        InputResponses answers = context.ask(asked);
        ObjectNode out = mapper.createObjectNode();
        asked.forEach((key, request) -> out.set(key, switch (request) {
            case ElicitRequest e -> elicitResult(answers.elicitation(key));
            case SamplingRequest s -> samplingResult(answers.sampling(key));
            case RootsRequest r -> roots(answers.roots(key));
        }));
        return out;
    }

    @SuppressWarnings("unchecked")
    private InputRequest request(String method, JsonNode params) {
        return switch (method) {
            case "elicitation/create" -> {
                if ("url".equals(params.path("mode").asText())) {
                    throw new IllegalArgumentException("URL-mode elicitation is not passed on by Plugboard's proxy");
                }
                JsonNode schema = params.path("requestedSchema");
                if (!params.path("message").isTextual() || !schema.isObject()) {
                    throw new IllegalArgumentException("elicitation/create needs a message and a requestedSchema object");
                }
                yield new ElicitRequest(params.get("message").asText(), mapper.convertValue(schema, Map.class));
            }
            case "sampling/createMessage" -> {
                List<Message> messages = new ArrayList<>();
                for (JsonNode m : params.path("messages")) {
                    JsonNode content = m.path("content");
                    if (content.isArray()) {
                        if (content.size() != 1) {
                            throw new IllegalArgumentException("sampling messages with several content blocks are not"
                                    + " passed on by Plugboard's proxy");
                        }
                        content = content.get(0);
                    }
                    messages.add(new Message("assistant".equals(m.path("role").asText()) ? Role.ASSISTANT : Role.USER,
                            ContentDecoder.decode(content)));
                }
                List<String> stops = new ArrayList<>();
                params.path("stopSequences").forEach(s -> stops.add(s.asText()));
                JsonNode temperature = params.get("temperature");
                yield new SamplingRequest(messages, params.path("maxTokens").asInt(0),
                        params.path("systemPrompt").isTextual() ? params.get("systemPrompt").asText() : null,
                        temperature != null && temperature.isNumber() ? temperature.asDouble() : null, stops);
            }
            case "roots/list" -> RootsRequest.INSTANCE;
            default -> throw new IllegalArgumentException("Plugboard's proxy does not pass on " + method);
        };
    }

    private ObjectNode elicitResult(ElicitResult r) {
        ObjectNode out = mapper.createObjectNode().put("action", r.action().name().toLowerCase(Locale.ROOT));
        if (r.action() == ElicitResult.Action.ACCEPT) {
            out.set("content", mapper.valueToTree(r.content()));
        }
        return out;
    }

    private ObjectNode samplingResult(SamplingResult r) {
        ObjectNode out = Messages.encode(r.message());
        out.put("model", r.model() == null ? "unknown" : r.model());
        if (r.stopReason() != null) {
            out.put("stopReason", r.stopReason());
        }
        return out;
    }

    private ObjectNode roots(List<Root> roots) {
        ObjectNode out = mapper.createObjectNode();
        ArrayNode list = out.putArray("roots");
        for (Root r : roots) {
            ObjectNode root = list.addObject().put("uri", r.uri());
            if (r.name() != null) {
                root.put("name", r.name());
            }
        }
        return out;
    }
}
