package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.catalog.ToolHandler;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.protocol.tools.ToolAnnotations;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import dev.plugboard.host.security.CallLimiter;
import dev.plugboard.host.tool.ResultMapper;
import dev.plugboard.host.tool.ToolExecutor;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The host's {@code call_tool} tool for search mode: calls any tool of the catalogue by name, so that
 * a client that lists only the tools about the catalogue can still use all of them. The call goes
 * through the same checks, limits and context as a direct call.
 */
final class CallTool implements ToolHandler {

    static final String NAME = "call_tool";

    private final Catalog catalog;
    private final ToolExecutor executor;

    CallTool(Catalog catalog, ToolExecutor executor) {
        this.catalog = catalog;
        this.executor = executor;
    }

    static ToolDescriptor descriptor() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("name").put("type", "string")
                .put("description", "The tool's name, as search_catalog or describe_tool gave it");
        properties.putObject("arguments").put("type", "object")
                .put("description", "The tool's arguments, matching its input schema (see describe_tool)");
        schema.putArray("required").add("name");
        schema.put("additionalProperties", false);
        return new ToolDescriptor(NAME, "Call a tool", "Calls any tool of the catalogue by name with its arguments. "
                + "Find tools with search_catalog and read their input schema with describe_tool first.", schema, null,
                new ToolAnnotations("Call a tool", null, null, null, null));
    }

    @Override
    public CallToolResult call(ObjectNode arguments, CallContext context) throws Exception {
        String name = arguments.path("name").asText();
        boolean allowed = !(context.caller() instanceof CallerIdentity who)
                || catalog.tool(name).map(t -> who.rights().mayUseTool(t.name(), t.provider().bundleName()))
                        .orElse(who.rights().mayUseTool(name));
        RegisteredTool target = NAME.equals(name) || !allowed ? null : catalog.awaitTool(name).join().orElse(null);
        if (target == null && !allowed) {
            return ResultMapper.error("Unknown tool: " + name + "; search the catalogue with search_catalog");
        }
        if (target == null) {
            return ResultMapper.error(catalog.missingTool(name) + "; search the catalogue with search_catalog");
        }
        JsonNode targetArguments = arguments.get("arguments");
        // the called tool's own limits for this caller apply as if it had been called directly
        CallLimiter.Admission admission = context.caller() instanceof CallerIdentity who
                ? who.limits().admit(target.name()) : CallLimiter.Admission.FREE;
        if (!admission.admitted()) {
            throw new McpException(ErrorCodes.RATE_LIMITED, admission.reason(),
                    Map.of("retryAfterSeconds", admission.retryAfterSeconds()));
        }
        try (admission) {
            return executor.call(target, targetArguments, context).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof McpException m) {
                throw m;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
