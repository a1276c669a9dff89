package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.engine.Pages;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.task.TaskException;
import dev.plugboard.host.task.TaskRecord;
import dev.plugboard.host.task.TaskStatus;
import dev.plugboard.host.task.Tasks;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.InputStream;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.Request;

/**
 * Tasks over REST: start a tool as a task, list and read tasks, read a task's result, cancel one,
 * watch one's progress as Server-Sent Events.
 */
@Path("/api/v1/tasks")
public final class TasksResource {

    private static final Logger LOG = Logger.getLogger(TasksResource.class.getName());

    private final RestContext rest;

    /** Created by Jersey for each request. */
    @Inject
    TasksResource(RestContext rest) {
        this.rest = rest;
    }

    /** Starts a task. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "tasks", summary = "Start a task", request = "TaskStart", response = "Task",
            problems = {400, 404, 413, 415, 422, 429, 503}, description = "Runs a tool that supports tasks in the"
            + " background: the body names the `tool` and its `arguments`. Answers 202 with the task (status"
            + " `working`) and its URL in `Location`; poll it, watch its `events`, read its `result`.")
    public Response start(@Context Request request, InputStream body) {
        JsonNode json = rest.body(request, body);
        if (json == null || !json.isObject() || !json.path("tool").isTextual()) {
            throw ProblemException.invalid("The body must be an object with the tool's name in \"tool\" and its"
                    + " arguments in \"arguments\"");
        }
        JsonNode arguments = json.get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw ProblemException.invalid("\"arguments\" must be an object");
        }
        TaskRecord task = guarded(() -> rest.operations().startTask(json.get("tool").asText(), arguments));
        return Response.accepted(json(rest.mapper(), task)).location(URI.create(RestApi.PREFIX + "/tasks/"
                + task.id())).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Lists tasks. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "tasks", summary = "List tasks", response = "TaskList", problems = 400, description = "The"
            + " caller's tasks, a page at a time in id order (follow `nextCursor`); `status` (working,"
            + " input_required, completed, failed, cancelled) and `tool` filter.")
    public ObjectNode list(@QueryParam("status") String status, @QueryParam("tool") String tool,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        TaskStatus wanted = status == null || status.isEmpty() ? null : TaskStatus.parse(status).orElseThrow(
                () -> ProblemException.invalid("status must be one of working, input_required, completed, failed,"
                        + " cancelled"));
        List<TaskRecord> all = tasks().list(Operations.doorCaller(), wanted, tool == null || tool.isEmpty() ? null
                : tool).stream().sorted(Comparator.comparing(TaskRecord::id)).toList();
        Pages.Page<TaskRecord> page;
        try {
            page = Pages.page(all, TaskRecord::id, cursor == null || cursor.isEmpty() ? null : cursor,
                    RestContext.integer("limit", limit, 50, 1, 500));
        } catch (McpException e) {
            throw ProblemException.invalid(e.getMessage());
        }
        ObjectNode out = rest.mapper().createObjectNode();
        var list = out.putArray("tasks");
        page.items().forEach(t -> list.add(json(rest.mapper(), t)));
        if (page.nextCursor() != null) {
            out.put("nextCursor", page.nextCursor());
        }
        return out;
    }

    /** One task. */
    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "tasks", summary = "Read a task", response = "Task", problems = 404,
            description = "The task's status, progress and times.")
    public ObjectNode get(@PathParam("id") String id) {
        return json(rest.mapper(), guarded(() -> tasks().get(Operations.doorCaller(), id)));
    }

    /** A task's result. */
    @GET
    @Path("{id}/result")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "tasks", summary = "Read a task's result", response = "ToolResult", problems = {404, 409, 502},
            description = "The tool's result once the task has completed (a tool that reported an error answers"
            + " 200 with `isError: true`). 409 while the task runs or when it was cancelled; 502 when it failed.")
    public JsonNode result(@PathParam("id") String id) {
        TaskRecord task = guarded(() -> tasks().get(Operations.doorCaller(), id));
        return switch (task.status()) {
            case COMPLETED -> task.result();
            case FAILED -> {
                if (task.result() != null) {
                    yield task.result();
                }
                throw new ProblemException(new Problem("task-failed", 502, "Task failed", task.error() == null
                        ? "The task failed" : task.error().message()));
            }
            case CANCELLED -> throw new ProblemException(new Problem("task-cancelled", 409, "Task cancelled",
                    "Task " + id + " was cancelled and has no result"));
            default -> throw new ProblemException(new Problem("task-not-finished", 409, "Task not finished",
                    "Task " + id + " is " + task.status().wire() + "; its result comes when it completes"));
        };
    }

    /** Cancels a task. */
    @POST
    @Path("{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "tasks", summary = "Cancel a task", response = "Task", problems = 404, description = "Stops the"
            + " task's tool and marks the task cancelled. A task that has ended stays as it is (the answer shows"
            + " its status).")
    public ObjectNode cancel(@PathParam("id") String id) {
        return json(rest.mapper(), guarded(() -> tasks().cancel(Operations.doorCaller(), id)));
    }

    /** Streams a task's changes. */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @ApiDoc(tag = "tasks", summary = "Watch a task", problems = 404, description = "Server-Sent Events: a `task`"
            + " event with the task now, another on every change (status, progress), ending after the event that"
            + " shows the task ended.")
    public void events(@PathParam("id") String id, @Context SseEventSink sink, @Context Sse sse) {
        TaskRecord first = guarded(() -> tasks().get(Operations.doorCaller(), id));
        LinkedBlockingQueue<TaskRecord> queue = new LinkedBlockingQueue<>();
        AutoCloseable watching = tasks().listen(t -> {
            if (t.id().equals(id)) {
                queue.add(t);
            }
        });
        queue.add(tasks().get(Operations.doorCaller(), first.id()));
        Thread.ofVirtual().name("rest-task-events").start(() -> {
            try {
                while (!sink.isClosed()) {
                    TaskRecord t = queue.poll(rest.keepAlive().toMillis(), TimeUnit.MILLISECONDS);
                    if (t == null) {
                        sink.send(sse.newEventBuilder().comment("keep-alive").build()).toCompletableFuture().join();
                        continue;
                    }
                    sink.send(sse.newEventBuilder().name("task").data(json(rest.mapper(), t).toString()).build())
                            .toCompletableFuture().join();
                    if (t.status().terminal()) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.fine(() -> "A task event stream ended: " + e);
            } finally {
                try {
                    watching.close();
                } catch (Exception e) {
                    LOG.fine(() -> "Closing a task event stream failed: " + e);
                }
                sink.close();
            }
        });
    }

    private Tasks tasks() {
        return rest.operations().tasks();
    }

    /** Runs a task operation, its refusals as problems. */
    private static <T> T guarded(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (TaskException e) {
            throw new ProblemException(problem(e));
        }
    }

    static Problem problem(TaskException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> new Problem("not-found", 404, "Not found", e.getMessage());
            case LIMIT -> new Problem("too-many-tasks", 429, "Too many tasks", e.getMessage());
            case INVALID -> new Problem("invalid-request", 409, "Conflict", e.getMessage());
        };
    }

    /** A task as REST shows it. */
    static ObjectNode json(ObjectMapper mapper, TaskRecord task) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", task.id()).put("tool", task.tool()).put("status", task.status().wire());
        if (task.statusMessage() != null) {
            node.put("statusMessage", task.statusMessage());
        }
        if (task.progress() != null) {
            ObjectNode p = node.putObject("progress").put("progress", task.progress());
            if (task.total() != null) {
                p.put("total", task.total());
            }
        }
        node.put("createdAt", task.createdAt().toString()).put("lastUpdatedAt", task.lastUpdatedAt().toString())
                .put("ttlMs", task.ttl().toMillis()).put("pollIntervalMs", task.pollInterval().toMillis());
        if (task.error() != null) {
            node.putObject("error").put("code", task.error().code()).put("message", task.error().message());
        }
        return node;
    }
}
