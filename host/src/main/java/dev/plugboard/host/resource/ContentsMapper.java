package dev.plugboard.host.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.content.ResourceContents;
import dev.plugboard.host.protocol.content.ContentEncoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Maps what a resource method returned to {@code resources/read} contents: a string is text, a
 * byte array is a blob, {@link ResourceContents} are sent as built, anything else is served as JSON.
 * Nothing ({@code null}, an empty {@code Optional} or an empty list) means the resource does not exist.
 */
final class ContentsMapper {

    private final ObjectMapper mapper;

    ContentsMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The contents, or null when the method returned nothing. */
    List<JsonNode> map(String uri, String mimeType, Object value) throws JsonProcessingException {
        return switch (value) {
            case null -> null;
            case Optional<?> o -> map(uri, mimeType, o.orElse(null));
            case CharSequence text -> List.of(contents(uri, mimeType, "text/plain").put("text", text.toString()));
            case byte[] bytes -> List.of(contents(uri, mimeType, "application/octet-stream")
                    .put("blob", Base64.getEncoder().encodeToString(bytes)));
            case ResourceContents c -> List.of(ContentEncoder.encode(c));
            case Collection<?> c when c.stream().allMatch(ResourceContents.class::isInstance) -> {
                List<JsonNode> out = new ArrayList<>();
                c.forEach(x -> out.add(ContentEncoder.encode((ResourceContents) x)));
                yield out.isEmpty() ? null : out;
            }
            default -> List.of(contents(uri, mimeType, "application/json").put("text", mapper.writeValueAsString(value)));
        };
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode contents(String uri, String mimeType, String fallback) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("uri", uri)
                .put("mimeType", mimeType != null ? mimeType : fallback);
    }
}
