package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashMap;
import java.util.Map;

/**
 * A resource's detail (from the host's listing, when it lists the URI) and its contents, read through the
 * host's API when the user asks: text as text, images and audio as media, other binaries by size. htmx gets
 * the contents alone; a plain form the whole page.
 */
@Path(Console.ROOT + "/resources")
public final class ResourcePages {

    private final Console console;

    public ResourcePages(Console console) {
        this.console = console;
    }

    /** The detail, with the contents when {@code read} is set. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @QueryParam("uri") String uriParam,
            @QueryParam("read") String read, @Context HttpHeaders headers, @Context ContainerRequestContext request) {
        return console.page(cookie, headers, session -> {
            String uri = uriParam == null ? "" : uriParam.strip();
            if (uri.isEmpty()) {
                return console.refused(400, "Which resource? The page needs its URI (?uri=...).");
            }
            URI base = Console.base(request);
            ContentsView contents = read == null || read.isEmpty() ? null
                    : ContentsView.read(console, base, session, uri);
            if (contents != null && headers.getHeaderString("HX-Request") != null) {
                return console.html(200, "contents.jte", Map.of("contents", contents));
            }
            JsonNode listed = CataloguePages.find(console, base, session, "resources", "uri", uri);
            Map<String, Object> params = new HashMap<>();
            params.put("chrome", console.chrome(listed.path("name").asText(uri), "catalogue", session));
            params.put("resource", ResourceInfo.of(uri, listed));
            params.put("contents", contents);
            return console.html(200, "resource.jte", params);
        });
    }

    /**
     * What the detail of a resource or resource template shows.
     *
     * @param uri its URI, or its URI template
     * @param title its title, or empty
     * @param description its description, or empty
     * @param mimeType its MIME type, or empty
     * @param provider the bundle that provides it, or empty
     * @param listed whether the host lists it (a URI a template matches is read without being listed)
     */
    public record ResourceInfo(String uri, String title, String description, String mimeType, String provider,
            boolean listed) {

        static ResourceInfo of(String uri, JsonNode listed) {
            return new ResourceInfo(uri, listed.path("title").asText(""), listed.path("description").asText(""),
                    listed.path("mimeType").asText(""), listed.path("bundle").asText(""), !listed.isMissingNode());
        }
    }
}
