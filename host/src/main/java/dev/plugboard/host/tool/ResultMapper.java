package dev.plugboard.host.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.tool.ToolResult;
import dev.plugboard.host.protocol.content.ContentEncoder;
import dev.plugboard.host.protocol.tools.CallToolResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps what a tool method returned to a {@code tools/call} result.
 *
 * <ul>
 *   <li>{@code null} or {@code void}: no content;</li>
 *   <li>a string, number, boolean, character or enum: one text block;</li>
 *   <li>a {@link Content} or a collection of them: those blocks;</li>
 *   <li>a {@link ToolResult}: as built;</li>
 *   <li>a record or a map: {@code structuredContent}, plus its JSON as a text block;</li>
 *   <li>an {@code Optional}: its value, or no content;</li>
 *   <li>anything else: its JSON as a text block.</li>
 * </ul>
 */
public final class ResultMapper {

    private final ObjectMapper mapper;

    /**
     * @param mapper serialises structured values
     */
    public ResultMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The result for a returned value. */
    public CallToolResult map(Object value) {
        return switch (value) {
            case null -> new CallToolResult(List.of(), null, null);
            case Optional<?> o -> map(o.orElse(null));
            case CharSequence s -> text(s.toString());
            case Number n -> text(n.toString());
            case Boolean b -> text(b.toString());
            case Character c -> text(c.toString());
            case Enum<?> e -> text(e.name());
            case Content c -> new CallToolResult(List.of(ContentEncoder.encode(c)), null, null);
            case ToolResult r -> fromToolResult(r);
            case Collection<?> c when !c.isEmpty() && c.stream().allMatch(Content.class::isInstance) ->
                    new CallToolResult(c.stream().map(x -> (JsonNode) ContentEncoder.encode((Content) x)).toList(),
                            null, null);
            case Record r -> structured(r);
            case Map<?, ?> m -> structured(m);
            default -> text(json(mapper.valueToTree(value)));
        };
    }

    /** An error result carrying only the message. */
    public static CallToolResult error(String message) {
        return CallToolResult.error(ContentEncoder.text(message));
    }

    private CallToolResult fromToolResult(ToolResult r) {
        List<JsonNode> blocks = new ArrayList<>(r.content().size() + 1);
        r.content().forEach(c -> blocks.add(ContentEncoder.encode(c)));
        JsonNode structured = null;
        if (r.structured() != null) {
            structured = mapper.valueToTree(r.structured());
            if (blocks.isEmpty()) {
                blocks.add(ContentEncoder.text(json(structured)));
            }
        }
        return new CallToolResult(blocks, structured, r.error() ? Boolean.TRUE : null);
    }

    private CallToolResult structured(Object value) {
        JsonNode tree = mapper.valueToTree(value);
        return new CallToolResult(List.of(ContentEncoder.text(json(tree))), tree, null);
    }

    private static CallToolResult text(String text) {
        return new CallToolResult(List.of(ContentEncoder.text(text)), null, null);
    }

    private String json(JsonNode tree) {
        try {
            return mapper.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
