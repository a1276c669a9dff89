package dev.plugboard.host.protocol.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Result of {@code tools/call}.
 *
 * @param content the content blocks, already in wire form
 * @param structuredContent structured output, or null
 * @param isError true when the tool failed; null when it did not
 */
public record CallToolResult(List<JsonNode> content, JsonNode structuredContent, Boolean isError) {

    /**
     * The result as the JSON object it is written as (no null fields), sharing its content blocks and
     * structured content rather than copying them: cheaper than having a mapper turn it into a tree.
     */
    public ObjectNode asTree(JsonNodeFactory nodes) {
        ObjectNode tree = nodes.objectNode();
        if (content != null) {
            tree.putArray("content").addAll(content);
        }
        if (structuredContent != null) {
            tree.set("structuredContent", structuredContent);
        }
        if (isError != null) {
            tree.put("isError", isError);
        }
        return tree;
    }

    /** A failed call whose only block is the given text. */
    public static CallToolResult error(JsonNode textBlock) {
        return new CallToolResult(List.of(textBlock), null, Boolean.TRUE);
    }
}
