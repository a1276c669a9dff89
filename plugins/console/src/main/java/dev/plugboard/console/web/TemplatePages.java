package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.console.complete.Argument;
import dev.plugboard.console.complete.UriTemplate;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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

/**
 * A resource template's detail and a form of its variables (each completed by the host as the user types);
 * the values make a URI (RFC 6570), which is read through the host's API and shown like any resource.
 */
@Path(Console.ROOT + "/templates")
public final class TemplatePages {

    private final Console console;

    public TemplatePages(Console console) {
        this.console = console;
    }

    /** The detail and the form, with the contents of the URI the values make when {@code read} is set. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @QueryParam("template") String templateParam,
            @QueryParam("read") String read, @Context HttpHeaders headers, @Context ContainerRequestContext request) {
        return console.page(cookie, headers, session -> {
            String template = templateParam == null ? "" : templateParam.strip();
            if (template.isEmpty()) {
                return console.refused(400, "Which resource template? The page needs it (?template=...).");
            }
            UriTemplate parsed = UriTemplate.parse(template);
            Map<String, String> values = Argument.given(request.getUriInfo().getQueryParameters());
            URI base = Console.base(request);
            ContentsView contents = read == null || read.isEmpty() ? null
                    : ContentsView.read(console, base, session, parsed.expand(values));
            if (contents != null && headers.getHeaderString("HX-Request") != null) {
                return console.html(200, "contents.jte", Map.of("contents", contents));
            }
            JsonNode listed = CataloguePages.find(console, base, session, "templates", "uriTemplate", template);
            List<Argument> arguments = new ArrayList<>();
            for (String variable : parsed.variables()) {
                arguments.add(new Argument(variable, "", false, values.getOrDefault(variable, "")));
            }
            Map<String, Object> params = new HashMap<>();
            params.put("chrome", console.chrome(listed.path("name").asText(template), "catalogue", session));
            params.put("resource", ResourcePages.ResourceInfo.of(template, listed));
            params.put("arguments", arguments);
            params.put("contents", contents);
            return console.html(200, "resource_template.jte", params);
        });
    }
}
