package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.security.Rights;
import dev.plugboard.host.tool.ResultMapper;
import java.util.List;

/**
 * What the catalogue's own tools (search mode's {@code search_catalog}, {@code describe_tool}) may show a
 * caller with restricted rights: their results name catalogue entries, and an entry the caller may not
 * use is taken out, as if it were not in the catalogue. The plugin that answers does not know the caller;
 * the host filters its structured answer and writes the text block again from it.
 */
final class VisibleResults {

    private VisibleResults() {
    }

    static CallToolResult filter(CallToolResult result, Rights rights) {
        JsonNode structured = result.structuredContent();
        if (structured == null || !structured.isObject() || Boolean.TRUE.equals(result.isError())) {
            return result;
        }
        ObjectNode copy = (ObjectNode) structured.deepCopy();
        if (copy.path("results").isArray()) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            for (JsonNode hit : copy.get("results")) {
                if (visible(hit, rights)) {
                    kept.add(hit);
                }
            }
            copy.set("results", kept);
        } else if (copy.has("inputSchema") && copy.has("name")
                && !rights.mayUseTool(copy.get("name").asText(), copy.path("bundle").asText(null))) {
            return ResultMapper.error("no tool named '" + copy.get("name").asText()
                    + "'; find tools with search_catalog");
        } else {
            return result;
        }
        ObjectNode text = JsonNodeFactory.instance.objectNode().put("type", "text").put("text", copy.toString());
        return new CallToolResult(List.of(text), copy, result.isError());
    }

    private static boolean visible(JsonNode hit, Rights rights) {
        String key = hit.path("key").asText();
        return switch (hit.path("kind").asText()) {
            case "tool" -> rights.mayUseTool(key, hit.path("bundle").asText(null));
            case "prompt" -> rights.mayUsePrompt(key);
            default -> rights.mayUseResource(key);
        };
    }
}
