package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.tool.TaskSupport;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.invoke.PluginCallException;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.protocol.ClientChannel;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.progress.ProgressParams;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.task.TaskException;
import dev.plugboard.host.task.TaskRecord;
import dev.plugboard.host.task.TaskStatus;
import dev.plugboard.host.task.Tasks;
import dev.plugboard.host.tool.ToolExecutor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code tools/call} as a task when the tool supports it and the client can take one: under the
 * 2026-07-28 revision when the request declares the tasks extension, under 2025-11-25 when the
 * request carries {@code task}. The request is answered with the task as soon as it exists; the tool
 * runs on, its progress, questions and outcome recorded in the task.
 */
final class TaskCalls {

    /** The 2026-07-28 tasks extension's identifier. */
    static final String EXTENSION = "io.modelcontextprotocol/tasks";

    private final Tasks tasks;
    private final ToolExecutor executor;
    private final Contexts contexts;
    private final ObjectMapper mapper;

    TaskCalls(Tasks tasks, ToolExecutor executor, Contexts contexts, ObjectMapper mapper) {
        this.tasks = tasks;
        this.executor = executor;
        this.contexts = contexts;
        this.mapper = mapper;
    }

    Tasks tasks() {
        return tasks;
    }

    /** Whether the stateless request's client declared the tasks extension. */
    static boolean declaresExtension(ClientCapabilities capabilities) {
        JsonNode ext = capabilities.raw().path("extensions").get(EXTENSION);
        return ext != null && ext.isObject();
    }

    /** The error for a stateless client that did not declare the tasks extension. */
    static McpException missingExtension(String what) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.putObject("requiredCapabilities").putObject("extensions").putObject(EXTENSION);
        return new McpException(ErrorCodes.MISSING_CAPABILITY, "Missing required client capability: " + what
                + " needs the " + EXTENSION + " extension", data);
    }

    /**
     * Starts the call as a task when it is to be one.
     *
     * @return the response's result (the created task, or what the call answered before it became
     *         one), or null when the call is to answer in the request
     * @throws McpException when the tool and the request disagree about tasks
     */
    CompletableFuture<Object> maybeStart(RequestScope scope, JsonRpcRequest request, RegisteredTool tool) {
        TaskSupport support = tool.descriptor().taskSupport();
        JsonNode hint = request.params().get("task");
        boolean legacy = !scope.stateless();
        boolean wanted;
        if (scope.stateless()) {
            wanted = declaresExtension(scope.capabilities());
            if (support == TaskSupport.REQUIRED && !wanted) {
                throw missingExtension("tool '" + tool.name() + "'");
            }
        } else {
            wanted = scope.version() == ProtocolVersion.V2025_11_25 && hint != null && hint.isObject();
            if (wanted && support == TaskSupport.FORBIDDEN) {
                throw new McpException(ErrorCodes.METHOD_NOT_FOUND, "Tool '" + tool.name()
                        + "' does not run as a task; call it without \"task\"", null);
            }
            if (support == TaskSupport.REQUIRED && !wanted) {
                throw new McpException(ErrorCodes.METHOD_NOT_FOUND, "Tool '" + tool.name()
                        + "' runs only as a task; call it with \"task\"", null);
            }
        }
        if (!wanted || support == TaskSupport.FORBIDDEN) {
            return null;
        }
        Duration ttl = legacy && hint.path("ttl").isIntegralNumber() ? Duration.ofMillis(hint.get("ttl").asLong())
                : null;
        String revision = scope.version().id();
        Switch state = new Switch(scope, legacy);
        Contexts.Opening opening = contexts.open(scope, request, tool.name());
        JsonNode token = RequestScope.progressToken(request.params());
        state.clientToken = token;
        CallContext context = new CallContext(scope.caller(), token != null ? token : TextNode.valueOf("task"),
                state.sink(), scope.logThreshold(), tool.name(), state.channel(opening.channel()));
        JsonNode arguments = request.params().get("arguments");
        executor.check(tool, arguments);
        boolean deferred = tool.descriptor().execution().deferred();
        CompletableFuture<Object> response = new CompletableFuture<>();
        if (!deferred) {
            TaskRecord task = create(scope.caller(), tool, revision, ttl);
            announce(scope, task);
            state.started(task.id());
            tasks.attach(task.id(), context);
            executor.start(tool, arguments, context)
                    .whenComplete((r, f) -> record(task.id(), tool.name(), r, f, context, legacy));
            response.complete(created(task, legacy));
            return response;
        }
        scope.track().accept(context);
        context.taskStarter(() -> {
            synchronized (state) {
                if (state.taskId != null) {
                    return;
                }
                TaskRecord task;
                try {
                    task = create(scope.caller(), tool, revision, ttl);
                } catch (McpException e) {
                    response.completeExceptionally(e);
                    throw new CancellationException(e.getMessage());
                }
                announce(scope, task);
                state.started(task.id());
                tasks.attach(task.id(), context);
                response.complete(created(task, legacy));
            }
        });
        Contexts.Call call = new Contexts.Call(context, opening.answers());
        CompletableFuture<CallToolResult> run = executor.start(tool, arguments, context);
        run.whenComplete((r, f) -> {
            String id = state.taskId;
            if (id != null) {
                record(id, tool.name(), r, f, context, legacy);
            }
        });
        run.<Object>thenApply(r -> r).exceptionally(ToolExecutor::refusalAsResult)
                .exceptionally(contexts.inputRequired(request, tool.name(), call))
                .whenComplete((v, f) -> {
                    if (f != null) {
                        response.completeExceptionally(f);
                    } else {
                        response.complete(v);
                    }
                });
        return response;
    }

    /**
     * In a 2025-11-25 session, tells the client of each status change of the task with
     * {@code notifications/tasks/status} on the session's stream, until the task ends.
     */
    private void announce(RequestScope scope, TaskRecord task) {
        Session session = scope.session();
        if (session == null) {
            return;
        }
        AtomicReference<AutoCloseable> listening = new AtomicReference<>();
        AtomicReference<TaskStatus> last = new AtomicReference<>(task.status());
        listening.set(tasks.listen(t -> {
            if (!t.id().equals(task.id()) || last.getAndSet(t.status()) == t.status()) {
                return;
            }
            session.sendUnprompted(new JsonRpcNotification("notifications/tasks/status", TaskWire.legacy(mapper, t)));
            if (t.status().terminal() || session.closed()) {
                try {
                    listening.get().close();
                } catch (Exception e) {
                    // removing a listener does not fail
                }
            }
        }));
    }

    private TaskRecord create(CallerIdentity caller, RegisteredTool tool, String revision, Duration ttl) {
        try {
            return tasks.create(caller, tool.name(), revision, ttl);
        } catch (TaskException e) {
            throw new McpException(ErrorCodes.SERVER_BUSY, e.getMessage(), TaskException.LIMIT_DATA);
        }
    }

    /** The result that answers the request with the task. */
    ObjectNode created(TaskRecord task, boolean legacy) {
        if (legacy) {
            ObjectNode result = mapper.createObjectNode();
            result.set("task", TaskWire.legacy(mapper, task));
            return result;
        }
        ObjectNode result = TaskWire.current(mapper, task);
        result.put("resultType", "task");
        return result;
    }

    /** Records how the task's call ended. */
    private void record(String id, String tool, CallToolResult result, Throwable failure, CallContext context,
            boolean legacy) {
        if (failure == null) {
            tasks.complete(id, mapper.valueToTree(result), legacy);
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        switch (cause) {
            // A task cancelled through Tasks is cancelled already; any other stop (its plugin went away,
            // the server is stopping) fails it, saying why.
            case PluginCallException p when p.reason() == PluginCallException.Reason.CANCELLED || context.isCancelled() ->
                tasks.fail(id, ErrorCodes.INTERNAL_ERROR, "Tool '" + tool + "' stopped before it answered: "
                        + (context.cancelReason() == null ? p.getMessage() : context.cancelReason()));
            case PluginCallException p when p.reason() == PluginCallException.Reason.FAILED
                    && p.getCause() instanceof ToolException ->
                tasks.complete(id, mapper.valueToTree(CallToolResult.error(
                        dev.plugboard.host.protocol.content.ContentEncoder.text(p.getMessage()))), legacy);
            case PluginCallException p -> tasks.fail(id, switch (p.reason()) {
                case BUSY, DEGRADED, REFUSED -> ErrorCodes.SERVER_BUSY;
                default -> ErrorCodes.INTERNAL_ERROR;
            }, p.getMessage());
            case McpException m -> tasks.fail(id, m.code(), m.getMessage());
            case MissingCapabilityException m -> tasks.fail(id, ErrorCodes.MISSING_CAPABILITY,
                    "Missing required client capability: " + m.getMessage());
            default -> tasks.fail(id, ErrorCodes.INTERNAL_ERROR, "The tool failed");
        }
    }

    /**
     * A call on its way to becoming a task: until it is one, messages and questions go the request's
     * way; afterwards progress is recorded in the task and questions park it.
     */
    private final class Switch {
        final RequestScope scope;
        final boolean legacy;
        volatile String taskId;
        volatile JsonNode clientToken;

        Switch(RequestScope scope, boolean legacy) {
            this.scope = scope;
            this.legacy = legacy;
        }

        void started(String id) {
            this.taskId = id;
        }

        MessageSink sink() {
            return message -> {
                String id = taskId;
                if (message instanceof JsonRpcNotification n && n.params() instanceof ProgressParams p) {
                    if (id != null) {
                        tasks.progress(id, p.progress(), p.total(), p.message());
                    }
                    if (clientToken == null) {
                        return true;
                    }
                }
                return forward(id, message);
            };
        }

        private boolean forward(String id, JsonRpcMessage message) {
            if (id == null) {
                return scope.related().send(message);
            }
            Session session = scope.session();
            return session != null && session.sendUnprompted(message);
        }

        ClientChannel channel(ClientChannel before) {
            ClientChannel afterwards = scope.session() == null ? null : new SessionChannel(scope.session(),
                    m -> false, contexts.messages(), contexts.clientTimeout());
            return new ClientChannel() {
                @Override
                public boolean supports(ClientCapability capability) {
                    return taskId == null ? before.supports(capability)
                            : scope.capabilities().has(capability.name().toLowerCase(Locale.ROOT));
                }

                @Override
                public Map<String, Object> ask(Map<String, InputRequest> requests) throws InterruptedException {
                    String id = taskId;
                    if (id == null) {
                        return before.ask(requests);
                    }
                    if (afterwards != null) {
                        return afterwards.ask(requests);
                    }
                    Map<String, JsonNode> questions = new LinkedHashMap<>();
                    requests.forEach((k, r) -> questions.put(k, contexts.messages().asInputRequest(r)));
                    Map<String, JsonNode> answers = tasks.awaitAnswers(id, questions);
                    Map<String, Object> decoded = new LinkedHashMap<>();
                    requests.forEach((k, r) -> decoded.put(k, contexts.messages().answer(k, r, answers.get(k))));
                    return decoded;
                }
            };
        }
    }
}
