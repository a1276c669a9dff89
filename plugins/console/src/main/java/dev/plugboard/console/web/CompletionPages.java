package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.complete.Argument;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Argument completion for the prompt and resource template forms: the host's own completion
 * ({@code POST /api/v1/completion}, MCP's {@code completion/complete}) asked with the value typed so far and
 * the other arguments of the form as context; the answer is the argument's {@code datalist}, which htmx swaps
 * in while the user types.
 */
@Path(Console.ROOT + "/complete")
public final class CompletionPages {

    private static final List<String> REFS = List.of("ref/prompt", "ref/resource");

    private final Console console;

    public CompletionPages(Console console) {
        this.console = console;
    }

    /** The suggestions for one argument (form fields {@code _ref}, {@code _target}, {@code _argument}). */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response complete(@CookieParam(Console.COOKIE) String cookie, MultivaluedMap<String, String> form,
            @Context HttpHeaders headers, @Context ContainerRequestContext request) {
        return console.action(cookie, headers, form.getFirst("csrf"), session -> {
            String ref = form.getFirst("_ref");
            String target = form.getFirst("_target");
            String argument = form.getFirst("_argument");
            if (ref == null || !REFS.contains(ref) || target == null || target.isEmpty() || argument == null
                    || argument.isEmpty()) {
                return console.refused(400, "A completion needs _ref (ref/prompt or ref/resource), _target and"
                        + " _argument.");
            }
            Map<String, String> given = Argument.given(form);
            ObjectNode params = console.api().json().createObjectNode();
            params.putObject("ref").put("type", ref).put("ref/prompt".equals(ref) ? "name" : "uri", target);
            params.putObject("argument").put("name", argument).put("value", given.getOrDefault(argument, ""));
            ObjectNode context = params.putObject("context").putObject("arguments");
            given.forEach((name, value) -> {
                if (!name.equals(argument)) {
                    context.put(name, value);
                }
            });
            HostApi.Answer answer = console.api().sendJson(Console.base(request), session.credential(), "POST",
                    "/api/v1/completion", params);
            List<String> values = new ArrayList<>();
            answer.body().path("completion").path("values").forEach(v -> values.add(v.asText()));
            return console.html(200, "datalist.jte", Map.of("id", Argument.idOf(argument) + "-options",
                    "values", values));
        });
    }
}
