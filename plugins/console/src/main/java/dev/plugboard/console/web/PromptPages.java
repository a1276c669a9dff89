package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.complete.Argument;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A prompt's detail and a form of its arguments (each completed by the host as the user types), rendered
 * through the host's API ({@code POST /api/v1/prompts/{name}/render}); the messages are shown by role, each
 * content by type. htmx gets the messages alone; a plain form the whole page.
 */
@Path(Console.ROOT + "/prompts/{name}")
public final class PromptPages {

    private final Console console;

    public PromptPages(Console console) {
        this.console = console;
    }

    /** The detail and the form. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @PathParam("name") String name,
            @Context HttpHeaders headers, @Context ContainerRequestContext request) {
        return console.page(cookie, headers, session -> {
            JsonNode prompt = CataloguePages.find(console, Console.base(request), session, "prompts", "name", name);
            if (prompt.isMissingNode()) {
                return console.refused(404, "No prompt named '" + name + "' is listed for your key.");
            }
            return console.html(200, "prompt.jte", params(session, prompt, Map.of(), null));
        });
    }

    /** Renders the prompt with the submitted arguments. */
    @POST
    @Path("render")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response render(@CookieParam(Console.COOKIE) String cookie, @PathParam("name") String name,
            MultivaluedMap<String, String> form, @Context HttpHeaders headers,
            @Context ContainerRequestContext request) {
        return console.action(cookie, headers, form.getFirst("csrf"), session -> {
            URI base = Console.base(request);
            Map<String, String> values = Argument.given(form);
            ObjectNode arguments = console.api().json().createObjectNode();
            values.forEach(arguments::put);
            HostApi.Answer answer = console.api().sendJson(base, session.credential(), "POST",
                    "/api/v1/prompts/" + ToolPages.segment(name) + "/render", arguments);
            Rendered rendered = answer.ok() ? Rendered.of(answer.body()) : Rendered.failed(answer.problem());
            if (headers.getHeaderString("HX-Request") != null) {
                return console.html(200, "rendered.jte", Map.of("rendered", rendered));
            }
            JsonNode prompt = CataloguePages.find(console, base, session, "prompts", "name", name);
            if (prompt.isMissingNode()) {
                return console.refused(404, "No prompt named '" + name + "' is listed for your key.");
            }
            return console.html(200, "prompt.jte", params(session, prompt, values, rendered));
        });
    }

    private Map<String, Object> params(ConsoleSession session, JsonNode prompt, Map<String, String> values,
            Rendered rendered) {
        String name = prompt.path("name").asText();
        List<Argument> arguments = new ArrayList<>();
        prompt.path("arguments").forEach(a -> arguments.add(new Argument(a.path("name").asText(),
                a.path("description").asText(""), a.path("required").asBoolean(false), "")));
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", console.chrome(name, "catalogue", session));
        params.put("prompt", new PromptView(name, prompt.path("title").asText(""),
                prompt.path("description").asText(""), prompt.path("bundle").asText(""),
                Console.ROOT + "/prompts/" + ToolPages.segment(name) + "/render"));
        params.put("arguments", Argument.filled(arguments, values));
        params.put("rendered", rendered);
        return params;
    }

    /**
     * What the detail shows of a prompt.
     *
     * @param name its name
     * @param title its title, or empty
     * @param description its description, or empty
     * @param provider the bundle that provides it, or empty
     * @param renderPath where the form posts
     */
    public record PromptView(String name, String title, String description, String provider, String renderPath) {
    }

    /**
     * A rendered prompt: its messages, or the host's reason for refusing to render it.
     *
     * @param problem why rendering failed, or empty
     * @param description the description the prompt gave with its messages, or empty
     * @param messages the messages, in order
     */
    public record Rendered(String problem, String description, List<MessageView> messages) {

        static Rendered of(JsonNode result) {
            List<MessageView> messages = new ArrayList<>();
            result.path("messages").forEach(m -> messages.add(new MessageView(m.path("role").asText(""),
                    ResultView.Item.of(m.path("content")))));
            return new Rendered("", result.path("description").asText(""), messages);
        }

        static Rendered failed(String problem) {
            return new Rendered(problem, "", List.of());
        }
    }

    /**
     * One message of a rendered prompt.
     *
     * @param role {@code user} or {@code assistant}
     * @param content its content
     */
    public record MessageView(String role, ResultView.Item content) {
    }
}
