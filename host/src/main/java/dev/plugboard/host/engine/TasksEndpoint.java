package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.task.TaskException;
import dev.plugboard.host.task.TaskRecord;
import dev.plugboard.host.task.Tasks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code tasks/*} methods: {@code get}, {@code update} and {@code cancel} of the 2026-07-28
 * tasks extension (for clients that declared it), and {@code get}, {@code result}, {@code list} and
 * {@code cancel} of 2025-11-25 in a session.
 */
final class TasksEndpoint {

    private final Tasks tasks;
    private final ObjectMapper mapper;
    private final int pageSize;

    TasksEndpoint(Tasks tasks, ObjectMapper mapper, int pageSize) {
        this.tasks = tasks;
        this.mapper = mapper;
        this.pageSize = pageSize;
    }

    /** Whether the method is one of this revision's task methods. */
    static boolean handles(RequestScope scope, String method) {
        return switch (method) {
            case "tasks/get", "tasks/cancel" -> true;
            case "tasks/update" -> scope.stateless();
            case "tasks/result", "tasks/list" -> !scope.stateless();
            default -> false;
        };
    }

    CompletableFuture<Object> handle(RequestScope scope, JsonRpcRequest request) {
        if (scope.stateless() && !TaskCalls.declaresExtension(scope.capabilities())) {
            throw TaskCalls.missingExtension(request.method());
        }
        try {
            return switch (request.method()) {
                case "tasks/get" -> done(get(scope, request));
                case "tasks/update" -> done(update(scope, request));
                case "tasks/cancel" -> done(cancel(scope, request));
                case "tasks/result" -> result(scope, request);
                case "tasks/list" -> done(list(scope, request));
                default -> throw new McpException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + request.method());
            };
        } catch (TaskException e) {
            throw mcp(e);
        }
    }

    private ObjectNode get(RequestScope scope, JsonRpcRequest request) {
        TaskRecord task = tasks.get(scope.caller(), taskId(request));
        if (scope.stateless()) {
            return TaskWire.detailed(mapper, task);
        }
        return TaskWire.legacy(mapper, task);
    }

    private ObjectNode update(RequestScope scope, JsonRpcRequest request) {
        String id = taskId(request);
        JsonNode responses = request.params().get("inputResponses");
        if (responses == null || !responses.isObject()) {
            throw McpException.invalidParams("Invalid params: \"inputResponses\" must be an object of answers by key");
        }
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        responses.properties().forEach(e -> answers.put(e.getKey(), e.getValue()));
        tasks.answer(scope.caller(), id, answers);
        return mapper.createObjectNode();
    }

    private ObjectNode cancel(RequestScope scope, JsonRpcRequest request) {
        String id = taskId(request);
        if (scope.stateless()) {
            tasks.cancel(scope.caller(), id);
            return mapper.createObjectNode();
        }
        TaskRecord task = tasks.get(scope.caller(), id);
        if (task.status().terminal()) {
            throw McpException.invalidParams("Invalid params: task " + id + " has already ended ("
                    + task.status().wire() + ") and cannot be cancelled");
        }
        return TaskWire.legacy(mapper, tasks.cancel(scope.caller(), id));
    }

    private CompletableFuture<Object> result(RequestScope scope, JsonRpcRequest request) {
        String id = taskId(request);
        return tasks.whenEnded(scope.caller(), id).thenApply(task -> {
            if (task.error() != null) {
                throw new McpException(task.error().code(), task.error().message());
            }
            if (task.result() == null) {
                throw new McpException(ErrorCodes.INVALID_REQUEST, "Task " + id + " was " + task.status().wire()
                        + (task.statusMessage() == null ? "" : ": " + task.statusMessage()));
            }
            ObjectNode result = task.result().deepCopy();
            result.withObjectProperty("_meta").putObject(TaskWire.RELATED_TASK).put("taskId", id);
            return result;
        });
    }

    private ObjectNode list(RequestScope scope, JsonRpcRequest request) {
        List<TaskRecord> all = tasks.list(scope.caller(), null, null).stream()
                .sorted(java.util.Comparator.comparing(TaskRecord::id)).toList();
        Pages.Page<TaskRecord> page = Pages.page(all, TaskRecord::id, Pages.cursor(request.params()), pageSize);
        ObjectNode result = mapper.createObjectNode();
        var list = result.putArray("tasks");
        page.items().forEach(t -> list.add(TaskWire.legacy(mapper, t)));
        if (page.nextCursor() != null) {
            result.put("nextCursor", page.nextCursor());
        }
        return result;
    }

    private static String taskId(JsonRpcRequest request) {
        JsonNode id = request.params() == null ? null : request.params().get("taskId");
        if (id == null || !id.isTextual()) {
            throw McpException.invalidParams("Invalid params: \"taskId\" must be the task's id");
        }
        return id.asText();
    }

    private static McpException mcp(TaskException e) {
        return switch (e.reason()) {
            case NOT_FOUND, INVALID -> McpException.invalidParams("Invalid params: " + e.getMessage());
            case LIMIT -> new McpException(ErrorCodes.SERVER_BUSY, e.getMessage(), null);
        };
    }

    private static CompletableFuture<Object> done(Object result) {
        return CompletableFuture.completedFuture(result);
    }

}
