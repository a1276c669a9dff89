package dev.plugboard.host.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.binding.BoundMethod;
import dev.plugboard.host.catalog.ToolHandler;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.tools.CallToolResult;

/**
 * Runs a tool that is an annotated method of a plugin component.
 */
final class MethodTool implements ToolHandler {

    private final BoundMethod method;
    private final ResultMapper results;
    private final JsonNode outputSchema;

    MethodTool(BoundMethod method, ResultMapper results, JsonNode outputSchema) {
        this.method = method;
        this.results = results;
        this.outputSchema = outputSchema;
    }

    @Override
    public boolean usesContext() {
        return method.usesContext();
    }

    @Override
    public CallToolResult call(ObjectNode arguments, CallContext context) throws Exception {
        return results.map(method.invoke(arguments, context), outputSchema);
    }
}
