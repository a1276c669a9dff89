package dev.plugboard.host.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.prompt.PromptResult;
import dev.plugboard.host.protocol.content.ContentEncoder;
import dev.plugboard.host.protocol.prompts.GetPromptResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Maps what a prompt method returned to a {@code prompts/get} result: a string or a content block is
 * one user message; a {@link Message}, a list of them or a {@link PromptResult} is sent as built.
 */
public final class Messages {

    private Messages() {
    }

    static GetPromptResult map(Object value) {
        return switch (value) {
            case PromptResult r -> new GetPromptResult(r.description(), encode(r.messages()));
            case Message m -> new GetPromptResult(null, encode(List.of(m)));
            case CharSequence s -> new GetPromptResult(null, encode(List.of(Message.user(s.toString()))));
            case Content c -> new GetPromptResult(null, encode(List.of(Message.user(c))));
            case Collection<?> c when !c.isEmpty() && c.stream().allMatch(Message.class::isInstance) ->
                    new GetPromptResult(null, encode(c.stream().map(Message.class::cast).toList()));
            case null -> throw new IllegalStateException("the prompt method returned nothing");
            default -> throw new IllegalStateException("the prompt method returned a "
                    + value.getClass().getSimpleName() + "; return a String, a Message, a list of Messages or a PromptResult");
        };
    }

    /** One message in wire form. */
    public static ObjectNode encode(Message m) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("role", m.role().name().toLowerCase(Locale.ROOT));
        node.set("content", ContentEncoder.encode(m.content()));
        return node;
    }

    private static List<JsonNode> encode(List<Message> messages) {
        List<JsonNode> out = new ArrayList<>(messages.size());
        messages.forEach(m -> out.add(encode(m)));
        return out;
    }
}
