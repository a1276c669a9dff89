package dev.plugboard.host.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.door.OperationException;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.task.TaskException;
import dev.plugboard.host.task.TaskRecord;
import dev.plugboard.host.task.TaskStatus;
import dev.plugboard.host.task.Tasks;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;

/** The task fields: {@code tasks}, {@code task}, {@code taskStats}, {@code startTask}, {@code cancelTask}, {@code taskUpdates}. */
final class TaskFetchers {

    private static final int UPDATE_BUFFER = 256;

    private final Operations operations;
    private final ObjectMapper mapper;

    TaskFetchers(Operations operations, ObjectMapper mapper) {
        this.operations = operations;
        this.mapper = mapper;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("tasks", guarded(env -> {
                    String status = env.getArgument("status");
                    TaskStatus wanted = status == null ? null : TaskStatus.parse(status).orElseThrow(
                            () -> new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "status must be one of working,"
                                    + " input_required, completed, failed, cancelled"));
                    return tasks().list(Operations.doorCaller(), wanted, env.getArgument("tool")).stream()
                            .map(this::task).toList();
                }))
                .dataFetcher("task", env -> tasks().list(Operations.doorCaller(), null, null).stream()
                        .filter(t -> t.id().equals(env.getArgument("id"))).findFirst().map(this::task).orElse(null))
                .dataFetcher("taskStats", env -> stats()));
        wiring.type("Mutation", type -> type
                .dataFetcher("startTask", guarded(env -> {
                    Object arguments = env.getArgument("arguments");
                    JsonNode json = arguments == null ? null : mapper.valueToTree(arguments);
                    if (json != null && !json.isObject()) {
                        throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "arguments must be a JSON object");
                    }
                    return task(operations.startTask(env.getArgument("tool"), json));
                }))
                .dataFetcher("cancelTask", guarded(env -> task(tasks().cancel(Operations.doorCaller(),
                        env.getArgument("id"))))));
        wiring.type("Subscription", type -> type
                .dataFetcher("taskUpdates", guarded(env -> updates(env.getArgument("id")))));
    }

    /**
     * The changes of one task, starting with its state now and ending after the change that ends it;
     * without an id, the changes of all the caller's tasks.
     */
    private Publisher<Map<String, Object>> updates(String id) {
        CallerIdentity who = Operations.doorCaller(); // the subscriber's, kept for the changes heard later on other threads
        if (id != null) {
            tasks().get(who, id);
        }
        return subscriber -> {
            EventStream<Map<String, Object>> stream = new EventStream<>(UPDATE_BUFFER);
            stream.subscribe(subscriber);
            AtomicReference<AutoCloseable> listening = new AtomicReference<>();
            listening.set(tasks().listen(t -> {
                if (id != null && !t.id().equals(id) || !Tasks.visible(who, t)) {
                    return;
                }
                if (!stream.hasSubscribers()) {
                    close(listening.get());
                    return;
                }
                stream.publish(task(t));
                if (id != null && t.status().terminal()) {
                    stream.complete();
                    close(listening.get());
                }
            }));
            if (id != null) {
                TaskRecord now = tasks().get(who, id);
                stream.publish(task(now));
                if (now.status().terminal()) {
                    stream.complete();
                    close(listening.get());
                }
            }
        };
    }

    private static void close(AutoCloseable handle) {
        try {
            if (handle != null) {
                handle.close();
            }
        } catch (Exception e) {
            // a listener's removal does not fail
        }
    }

    private Tasks tasks() {
        return operations.tasks();
    }

    private Map<String, Object> task(TaskRecord t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("tool", t.tool());
        out.put("status", t.status().wire());
        out.put("statusMessage", t.statusMessage());
        out.put("progress", t.progress());
        out.put("total", t.total());
        out.put("createdAt", t.createdAt().toString());
        out.put("lastUpdatedAt", t.lastUpdatedAt().toString());
        out.put("ttlMs", (double) t.ttl().toMillis());
        out.put("result", t.result() == null ? null : mapper.convertValue(t.result(), LinkedHashMap.class));
        out.put("error", t.error() == null ? null : Map.of("code", t.error().code(), "message", t.error().message()));
        return out;
    }

    private Map<String, Object> stats() {
        Tasks.Stats stats = tasks().stats(Operations.doorCaller());
        List<Map<String, Object>> byStatus = new ArrayList<>();
        stats.byStatus().forEach((s, n) -> byStatus.add(Map.of("status", s, "count", n.intValue())));
        List<Map<String, Object>> byTool = new ArrayList<>();
        stats.byTool().forEach((tool, s) -> byTool.add(Map.of("tool", tool, "tasks", (int) s.tasks(), "ended",
                (int) s.ended(), "meanMillis", (double) s.meanMillis(), "maxMillis", (double) s.maxMillis())));
        return Map.of("byStatus", byStatus, "byTool", byTool);
    }

    /** Turns task and operation refusals into their GraphQL errors. */
    private static <T> DataFetcher<T> guarded(DataFetcher<T> fetcher) {
        return env -> {
            try {
                return fetcher.get(env);
            } catch (OperationException e) {
                throw CatalogFetchers.problem(e);
            } catch (TaskException e) {
                throw new GraphqlProblem(switch (e.reason()) {
                    case NOT_FOUND -> ErrorCode.NOT_FOUND;
                    case LIMIT -> ErrorCode.BUSY;
                    case INVALID -> ErrorCode.CONFLICT;
                }, e.getMessage());
            }
        };
    }
}
