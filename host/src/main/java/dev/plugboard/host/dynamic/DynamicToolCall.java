package dev.plugboard.host.dynamic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.dynamic.DynamicToolHandler;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.host.catalog.ToolHandler;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.tools.CallToolResult;
import java.util.ArrayList;
import java.util.List;

/** Runs a {@link DynamicToolHandler}: arguments out as JSON text, its {@code CallToolResult} text read back. */
final class DynamicToolCall implements ToolHandler {

    private final DynamicToolHandler handler;
    private final ObjectMapper mapper;

    DynamicToolCall(DynamicToolHandler handler, ObjectMapper mapper) {
        this.handler = handler;
        this.mapper = mapper;
    }

    @Override
    public CallToolResult call(ObjectNode arguments, CallContext context) throws Exception {
        String answer = handler.call(mapper.writeValueAsString(arguments), context);
        return result(answer);
    }

    private CallToolResult result(String json) {
        JsonNode tree;
        try {
            tree = json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ToolException("The tool's result is not valid JSON");
        }
        if (!(tree instanceof ObjectNode object) || !object.path("content").isArray()) {
            throw new ToolException("The tool's result is not a CallToolResult (an object with a \"content\" array)");
        }
        List<JsonNode> content = new ArrayList<>();
        object.get("content").forEach(block -> {
            if (!block.isObject() || !block.path("type").isTextual()) {
                throw new ToolException("The tool's result has a content block without a \"type\"");
            }
            content.add(block);
        });
        JsonNode structured = object.get("structuredContent");
        boolean error = object.path("isError").asBoolean(false);
        return new CallToolResult(content, structured == null || structured.isNull() ? null : structured,
                error ? Boolean.TRUE : null);
    }
}
