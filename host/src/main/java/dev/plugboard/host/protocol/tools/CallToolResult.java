package dev.plugboard.host.protocol.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Result of {@code tools/call}.
 *
 * @param content the content blocks, already in wire form
 * @param structuredContent structured output, or null
 * @param isError true when the tool failed; null when it did not
 */
public record CallToolResult(List<JsonNode> content, JsonNode structuredContent, Boolean isError) {

    /** A failed call whose only block is the given text. */
    public static CallToolResult error(JsonNode textBlock) {
        return new CallToolResult(List.of(textBlock), null, Boolean.TRUE);
    }
}
