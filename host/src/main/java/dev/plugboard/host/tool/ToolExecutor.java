package dev.plugboard.host.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.invoke.PluginCallException;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.tracing.HostSpan;
import dev.plugboard.host.tracing.RequestTracer;
import dev.plugboard.host.tracing.TraceContext;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.schema.SchemaValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs tool calls: checks the arguments against the tool's schema, runs the call under the tool's
 * limits (time, concurrency) through {@link Invocations}, and turns every failure of the plugin
 * into an error result.
 *
 * <p>The returned future completes with the tool's result or an error result; exceptionally only
 * with an {@link McpException} (arguments that do not match the schema) or with what the protocol
 * must answer itself (input required, a missing client capability).
 */
public final class ToolExecutor {

    private final SchemaValidator validator = new SchemaValidator();
    private final Invocations invocations;
    private volatile RequestTracer tracer;

    /**
     * @param invocations runs the plugin code
     */
    public ToolExecutor(Invocations invocations) {
        this.invocations = invocations;
    }

    /**
     * Starts a call.
     *
     * @param tool the tool
     * @param arguments the arguments object as sent (null for none)
     * @param context the request's context, which this call owns from now on
     */
    public CompletableFuture<CallToolResult> call(RegisteredTool tool, JsonNode arguments, CallContext context) {
        return start(tool, arguments, context).exceptionally(ToolExecutor::refusalAsResult);
    }

    /**
     * Starts a call whose refusals and failures stay failures: a {@link PluginCallException} says
     * why the plugin's code did not answer (see {@link PluginCallException.Reason}), for a caller
     * that acts on the reason before it turns it into the tool's error result with
     * {@link #refusalAsResult}.
     *
     * @param tool the tool
     * @param arguments the arguments object as sent (null for none)
     * @param context the request's context, which this call owns from now on
     */
    public CompletableFuture<CallToolResult> start(RegisteredTool tool, JsonNode arguments, CallContext context) {
        ObjectNode args;
        try {
            args = checkedArguments(tool, arguments);
        } catch (McpException e) {
            return CompletableFuture.failedFuture(e);
        }
        RequestTracer t = tracer;
        HostSpan span = t == null ? null : t.toolCall(tool.name(), context.trace());
        if (span != null) {
            context.trace(span.context()); // the tool and its upstream calls name the tool's span as parent
        }
        TraceContext trace = context.trace();
        CompletableFuture<CallToolResult> run = invocations.run(tool.provider(), "Tool '" + tool.name() + "'",
                tool.timeout(), tool.permits(), context,
                trace == null ? () -> tool.handler().call(args, context)
                        : () -> TraceContext.during(trace, () -> tool.handler().call(args, context)));
        if (span != null) {
            run.whenComplete((result, failure) -> {
                boolean toolError = failure == null && result != null && Boolean.TRUE.equals(result.isError());
                span.end(failure != null ? "failed" : toolError ? "tool_error" : "ok", failure != null || toolError);
            });
        }
        return run;
    }

    /** Starts a span per call from now on ({@code tracing.otlp.endpoint}); null: none. */
    public void trace(RequestTracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Checks arguments against the tool's input schema without calling it (for a call that must
     * be refused before anything else happens, such as a task that is not created yet).
     *
     * @throws McpException (invalid params, naming each violation) when they do not match
     */
    public void check(RegisteredTool tool, JsonNode arguments) {
        checkedArguments(tool, arguments);
    }

    /**
     * A call's failure as the client sees it: a {@link PluginCallException} becomes the tool's error
     * result with its message, tagged with its reason; any other failure stays one.
     */
    public static CallToolResult refusalAsResult(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof PluginCallException p) {
            return ResultMapper.failed(p);
        }
        throw failure instanceof CompletionException c ? c : new CompletionException(cause);
    }

    private ObjectNode checkedArguments(RegisteredTool tool, JsonNode arguments) {
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw McpException.invalidParams("Invalid arguments for tool '" + tool.name()
                    + "': \"arguments\" must be an object");
        }
        ObjectNode args = arguments == null || arguments.isNull() ? JsonNodeFactory.instance.objectNode()
                : withoutNulls((ObjectNode) arguments);
        List<SchemaValidator.Violation> violations = validator.validate(tool.descriptor().inputSchema(), args);
        if (!violations.isEmpty()) {
            var data = JsonNodeFactory.instance.objectNode();
            data.put("tool", tool.name());
            var list = data.putArray("violations");
            violations.forEach(v -> list.addObject().put("argument", v.path()).put("reason", v.message()));
            throw new McpException(ErrorCodes.INVALID_PARAMS, "Invalid arguments for tool '" + tool.name() + "': "
                    + String.join("; ", violations.stream().map(SchemaValidator.Violation::toString).toList()), data);
        }
        return args;
    }

    /** Top-level nulls mean "not given": clients send them for optional arguments. */
    private static ObjectNode withoutNulls(ObjectNode args) {
        boolean any = false;
        for (JsonNode value : args) {
            any |= value.isNull();
        }
        if (!any) {
            return args;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : args.properties()) {
            if (!e.getValue().isNull()) {
                copy.set(e.getKey(), e.getValue());
            }
        }
        return copy;
    }
}
