package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.console.api.HostApi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tasks: the user's tasks by status, a page at a time; one task's progress and result (live while it runs); cancel. */
@Path(Console.ROOT + "/tasks")
public final class TaskPages {

    private final Console console;

    public TaskPages(Console console) {
        this.console = console;
    }

    /** The list. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response list(@CookieParam(Console.COOKIE) String cookie, @QueryParam("status") String status,
            @QueryParam("cursor") String cursor, @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            String wanted = status == null ? "" : status;
            String path = "/api/v1/tasks?limit=50&status=" + HostApi.query(wanted)
                    + (cursor == null || cursor.isEmpty() ? "" : "&cursor=" + HostApi.query(cursor));
            HostApi.Answer answer = console.api().get(Console.base(uri), session.credential(), path);
            List<TaskView> tasks = new ArrayList<>();
            answer.body().path("tasks").forEach(t -> tasks.add(TaskView.of(t)));
            String next = answer.body().path("nextCursor").asText("");
            Map<String, Object> params = new HashMap<>();
            params.put("chrome", answer.ok() ? console.chrome("Tasks", "tasks", session)
                    : new Chrome("Tasks", "tasks", session, answer.problem(), false));
            params.put("tasks", tasks);
            params.put("status", wanted);
            params.put("next", next.isEmpty() ? "" : Console.ROOT + "/tasks?status=" + HostApi.query(wanted)
                    + "&cursor=" + HostApi.query(next));
            return console.html(200, "tasks.jte", params);
        });
    }

    /** One task. */
    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_HTML)
    public Response task(@CookieParam(Console.COOKIE) String cookie, @PathParam("id") String id,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            Map<String, Object> params = detail(session.credential(), id, Console.base(uri));
            if (params == null) {
                return console.refused(404, "No task '" + id + "' (it ended and was forgotten, or is not yours).");
            }
            params.put("chrome", console.chrome("Task " + id, "tasks", session));
            return console.html(200, "task.jte", params);
        });
    }

    /** The task's state alone, for the live refresh while it runs. */
    @GET
    @Path("{id}/live")
    @Produces(MediaType.TEXT_HTML)
    public Response live(@CookieParam(Console.COOKIE) String cookie, @PathParam("id") String id,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            Map<String, Object> params = detail(session.credential(), id, Console.base(uri));
            if (params == null) {
                return console.refused(404, "No task '" + id + "'.");
            }
            params.put("csrf", session.csrf());
            return console.html(200, "task_live.jte", params);
        });
    }

    /** Cancels the task. */
    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response cancel(@CookieParam(Console.COOKIE) String cookie, @PathParam("id") String id,
            @FormParam("csrf") String csrf, @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.action(cookie, headers, csrf, session -> {
            HostApi.Answer answer = console.api().sendEmpty(Console.base(uri), session.credential(), "POST",
                    "/api/v1/tasks/" + ToolPages.segment(id) + "/cancel");
            console.notice(session, answer.ok() ? "Cancelled task " + id + "." : "Not cancelled: " + answer.problem(),
                    answer.ok());
            return Console.seeOther(Console.ROOT + "/tasks/" + ToolPages.segment(id), headers);
        });
    }

    private Map<String, Object> detail(String credential, String id, URI base) {
        HostApi.Answer answer = console.api().get(base, credential, "/api/v1/tasks/" + ToolPages.segment(id));
        if (!answer.ok()) {
            return null;
        }
        TaskView task = TaskView.of(answer.body());
        ResultView result = null;
        if ("completed".equals(task.status())) {
            HostApi.Answer r = console.api().get(base, credential, "/api/v1/tasks/" + ToolPages.segment(id)
                    + "/result");
            result = r.ok() ? ResultView.of(r.body(), null) : ResultView.failed(r.problem());
        }
        Map<String, Object> params = new HashMap<>();
        params.put("task", task);
        params.put("result", result);
        params.put("cancelPath", Console.ROOT + "/tasks/" + ToolPages.segment(id) + "/cancel");
        params.put("livePath", Console.ROOT + "/tasks/" + ToolPages.segment(id) + "/live");
        return params;
    }

    /**
     * A task as the pages show it.
     *
     * @param id its id
     * @param tool the tool it runs
     * @param status working, input_required, completed, failed or cancelled
     * @param message its status message or error, or empty
     * @param progress its progress as text ({@code 3 / 10}), or empty
     * @param created when it began
     * @param updated when it last changed
     */
    public record TaskView(String id, String tool, String status, String message, String progress, String created,
            String updated) {

        static TaskView of(JsonNode t) {
            JsonNode p = t.path("progress");
            String progress = p.isMissingNode() ? "" : p.path("progress").asText() + (p.has("total")
                    ? " / " + p.path("total").asText() : "");
            String message = t.has("error") ? t.path("error").path("message").asText()
                    : t.path("statusMessage").asText("");
            return new TaskView(t.path("id").asText(), t.path("tool").asText(), t.path("status").asText(), message,
                    progress, t.path("createdAt").asText(""), t.path("lastUpdatedAt").asText(""));
        }

        /** Whether it may still change. */
        public boolean running() {
            return "working".equals(status) || "input_required".equals(status);
        }

        /** The link to its page. */
        public String link() {
            return Console.ROOT + "/tasks/" + ToolPages.segment(id);
        }
    }
}
