package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.form.FormException;
import dev.plugboard.console.form.SchemaForm;
import dev.plugboard.console.session.ConsoleSession;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A tool's detail (schemas, provider) and its tester: a form generated from the input schema, or the
 * arguments as raw JSON; run as a call or as a task through the host's API; the result shown by content type.
 */
@Path(Console.ROOT + "/tools/{name}")
public final class ToolPages {

    private final Console console;

    public ToolPages(Console console) {
        this.console = console;
    }

    /** A tool name as one path segment. */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The detail and the form. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @PathParam("name") String name,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            HostApi.Answer tool = console.api().get(Console.base(uri), session.credential(),
                    "/api/v1/tools/" + segment(name));
            if (!tool.ok()) {
                return console.refused(tool.status() == 404 ? 404 : 502, tool.problem());
            }
            return console.html(200, "tool.jte", params(session, tool.body(), null, "{}"));
        });
    }

    /** Runs the tool with the submitted arguments; htmx gets the result alone, a plain form the whole page. */
    @POST
    @Path("run")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response run(@CookieParam(Console.COOKIE) String cookie, @PathParam("name") String name,
            MultivaluedMap<String, String> form, @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.action(cookie, headers, form.getFirst("csrf"), session -> {
            URI base = Console.base(uri);
            HostApi.Answer tool = console.api().get(base, session.credential(), "/api/v1/tools/" + segment(name));
            if (!tool.ok()) {
                return console.refused(tool.status() == 404 ? 404 : 502, tool.problem());
            }
            String mode = form.getFirst("_mode") == null ? "call" : form.getFirst("_mode");
            ResultView result;
            JsonNode arguments = null;
            try {
                arguments = "json".equals(mode) ? raw(form.getFirst("_json"))
                        : SchemaForm.of(tool.body().path("inputSchema")).arguments(form);
            } catch (FormException e) {
                result = ResultView.failed(e.getMessage());
                return answer(headers, session, tool.body(), result, form.getFirst("_json"));
            }
            if ("task".equals(mode)) {
                ObjectNode start = console.api().json().createObjectNode().put("tool", name);
                start.set("arguments", arguments);
                HostApi.Answer task = console.api().sendJson(base, session.credential(), "POST", "/api/v1/tasks", start);
                if (task.ok()) {
                    return Console.seeOther(Console.ROOT + "/tasks/" + segment(task.body().path("id").asText()),
                            headers);
                }
                result = ResultView.failed(task.problem());
            } else {
                HostApi.Answer call = console.api().sendJson(base, session.credential(), "POST",
                        "/api/v1/tools/" + segment(name) + "/call", arguments);
                result = call.ok() ? ResultView.of(call.body(), tool.body().path("outputSchema"))
                        : ResultView.failed(call.problem());
            }
            return answer(headers, session, tool.body(), result, Json.pretty(arguments));
        });
    }

    private Response answer(HttpHeaders headers, ConsoleSession session, JsonNode tool, ResultView result,
            String json) {
        if (headers.getHeaderString("HX-Request") != null) {
            return console.html(200, "result.jte", Map.of("result", result));
        }
        return console.html(200, "tool.jte", params(session, tool, result, json == null ? "{}" : json));
    }

    private Map<String, Object> params(ConsoleSession session, JsonNode tool, ResultView result, String json) {
        Map<String, Object> params = new HashMap<>();
        String name = tool.path("name").asText();
        params.put("chrome", console.chrome(name, "catalogue", session));
        params.put("tool", new ToolView(name, tool.path("title").asText(""), tool.path("description").asText(""),
                tool.path("bundle").asText(""), tool.path("bundleVersion").asText(""),
                Json.pretty(tool.path("inputSchema")), Json.pretty(tool.path("outputSchema")),
                Json.pretty(tool.path("annotations")), Console.ROOT + "/tools/" + segment(name) + "/run"));
        params.put("fields", SchemaForm.of(tool.path("inputSchema")).fields());
        params.put("result", result);
        params.put("json", json);
        return params;
    }

    private static JsonNode raw(String text) throws FormException {
        return SchemaForm.of(Json.MAPPER.createObjectNode()).rawArguments(text);
    }

    /**
     * What the detail shows of a tool.
     *
     * @param name its name
     * @param title its title, or empty
     * @param description its description, or empty
     * @param bundle the bundle that provides it
     * @param bundleVersion that bundle's version, or empty
     * @param inputSchema the input schema, indented
     * @param outputSchema the output schema, indented, or empty
     * @param annotations the annotations, indented, or empty
     * @param runPath where the form posts
     */
    public record ToolView(String name, String title, String description, String bundle, String bundleVersion,
            String inputSchema, String outputSchema, String annotations, String runPath) {
    }
}
