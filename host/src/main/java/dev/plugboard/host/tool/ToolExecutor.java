package dev.plugboard.host.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.registry.RegisteredTool;
import dev.plugboard.host.schema.SchemaValidator;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tool calls: checks the arguments against the tool's schema, enforces the tool's concurrency
 * limit and the call's time limit, runs the tool on a virtual thread, and turns every failure into
 * a clear result. A call always completes: with the tool's result, an error result, or (for invalid
 * arguments) an {@link McpException}.
 */
public final class ToolExecutor {

    private static final Logger LOG = Logger.getLogger(ToolExecutor.class.getName());

    private final SchemaValidator validator = new SchemaValidator();
    private final Duration timeout;

    /**
     * @param timeout the longest a call may run before it is cancelled and answered with an error
     */
    public ToolExecutor(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Starts a call.
     *
     * @param tool the tool
     * @param arguments the arguments object as sent (null for none)
     * @param context the request's context, which this call owns from now on
     * @return completes with the result; completes exceptionally with an {@link McpException} for
     *     arguments that do not match the schema
     */
    public CompletableFuture<CallToolResult> call(RegisteredTool tool, JsonNode arguments, CallContext context) {
        ObjectNode args;
        try {
            args = checkedArguments(tool, arguments);
        } catch (McpException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!tool.permits().tryAcquire()) {
            return CompletableFuture.completedFuture(ResultMapper.error("Tool '" + tool.name()
                    + "' is busy: too many calls are running; try again shortly"));
        }
        if (!tool.provider().enter(context)) {
            tool.permits().release();
            return CompletableFuture.completedFuture(gone(tool));
        }
        CompletableFuture<CallToolResult> result = new CompletableFuture<>();
        CallToolResult timedOut = ResultMapper.error("Tool '" + tool.name() + "' did not finish within "
                + timeout.toSeconds() + " s and was cancelled");
        result.completeOnTimeout(timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> {
            if (r == timedOut) {
                context.cancel("the call timed out");
            }
        });
        context.onCancel(() -> result.complete(cancelled(tool, context)));
        Thread.ofVirtual().name("tool-" + tool.name()).start(() -> run(tool, args, context, result));
        return result;
    }

    private void run(RegisteredTool tool, ObjectNode args, CallContext context, CompletableFuture<CallToolResult> result) {
        context.runningOn(Thread.currentThread());
        try {
            if (context.isCancelled()) {
                result.complete(cancelled(tool, context));
                return;
            }
            result.complete(tool.handler().call(args, context));
        } catch (McpException e) {
            result.completeExceptionally(e);
        } catch (Throwable t) {
            result.complete(context.isCancelled() ? cancelled(tool, context) : failed(tool, t));
        } finally {
            context.end();
            Thread.interrupted();
            tool.provider().exit(context);
            tool.permits().release();
        }
    }

    private ObjectNode checkedArguments(RegisteredTool tool, JsonNode arguments) {
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw McpException.invalidParams("Invalid arguments for tool '" + tool.name() + "': \"arguments\" must be an object");
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
        for (Iterator<JsonNode> it = args.elements(); it.hasNext();) {
            any |= it.next().isNull();
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

    private static CallToolResult failed(RegisteredTool tool, Throwable t) {
        String message = t.getMessage();
        if (t instanceof ToolException) {
            LOG.log(Level.FINE, "Tool " + tool + " reported an error", t);
        } else {
            LOG.log(Level.WARNING, "Tool " + tool + " failed", t);
        }
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        return ResultMapper.error(message);
    }

    private static CallToolResult cancelled(RegisteredTool tool, CallContext context) {
        return ResultMapper.error("Tool '" + tool.name() + "' was cancelled: " + context.cancelReason());
    }

    private static CallToolResult gone(RegisteredTool tool) {
        return ResultMapper.error("Tool '" + tool.name() + "' is no longer available: its plugin is being "
                + "updated or removed");
    }
}
