package dev.plugboard.router.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.client.SamplingResult;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.content.TextContent;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.router.ClientModel;
import dev.plugboard.router.provider.Completion;
import dev.plugboard.router.provider.ProviderException;
import dev.plugboard.router.provider.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * The calling client's model through the request's context: an OpenAI request becomes a sampling
 * request (in either protocol revision, the host's business), the client's message a
 * {@code chat.completion}.
 */
final class Sampling implements ClientModel {

    private final RequestContext context;
    private final ObjectMapper mapper;

    Sampling(RequestContext context, ObjectMapper mapper) {
        this.context = context;
        this.mapper = mapper;
    }

    @Override
    public Completion complete(ObjectNode body) throws ProviderException {
        StringBuilder system = new StringBuilder();
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            String text = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
            switch (m.path("role").asText()) {
                case "system", "developer" -> system.append(system.isEmpty() ? "" : "\n").append(text);
                case "assistant" -> messages.add(Message.assistant(text));
                default -> messages.add(Message.user(text));
            }
        }
        if (messages.isEmpty()) {
            throw new ProviderException(ProviderException.Kind.REJECTED, "there is no message for the client's model");
        }
        int maxTokens = body.path("max_tokens").asInt(body.path("max_completion_tokens").asInt(512));
        Double temperature = body.path("temperature").isNumber() ? body.path("temperature").asDouble() : null;
        long started = System.nanoTime();
        SamplingResult result;
        try {
            result = context.sample(new SamplingRequest(messages, Math.max(1, maxTokens),
                    system.isEmpty() ? null : system.toString(), temperature, List.of()));
        } catch (MissingCapabilityException e) {
            throw new ProviderException(ProviderException.Kind.REJECTED, "the client cannot sample");
        } catch (RuntimeException e) {
            throw new ProviderException(ProviderException.Kind.UNREACHABLE, "the client's model did not answer: "
                    + (e.getMessage() == null ? "no reason given" : e.getMessage()));
        }
        String text = result.message().content() instanceof TextContent t ? t.text() : "";
        ObjectNode out = mapper.createObjectNode();
        out.put("id", "chatcmpl-client");
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", result.model() == null ? ClientModel.ALIAS : result.model());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", "maxTokens".equals(result.stopReason()) ? "length" : "stop");
        return new Completion(out, Usage.NONE, System.nanoTime() - started);
    }
}
