package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSession;
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
 * The catalogue: tools, resources, resource templates and prompts a page at a time, each linking to its
 * detail; tools filtered by bundle and searched (the host ranks them with the search bundle when it runs). Only what the user's key may see is listed, because
 * the host filters every listing by the credential.
 */
@Path(Console.ROOT + "/catalogue")
public final class CataloguePages {

    static final int PAGE = 50;

    /** The kinds listed, each the last segment of its API path ({@code /api/v1/templates} for templates). */
    static final List<String> KINDS = List.of("tools", "resources", "templates", "prompts");

    /** The most pages {@link #find} follows. */
    private static final int FIND_PAGES = 100;

    private final Console console;

    public CataloguePages(Console console) {
        this.console = console;
    }

    /** One page of one kind. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @QueryParam("kind") String kindParam,
            @QueryParam("q") String q, @QueryParam("bundle") String bundle, @QueryParam("cursor") String cursor,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            String kind = kindParam == null || !KINDS.contains(kindParam) ? "tools" : kindParam;
            String query = q == null ? "" : q.strip();
            String bundleName = bundle == null ? "" : bundle.strip();
            StringBuilder path = new StringBuilder("/api/v1/" + kind + "?");
            if ("tools".equals(kind)) {
                path.append("limit=").append(PAGE);
                if (!query.isEmpty()) {
                    path.append("&q=").append(HostApi.query(query));
                }
                if (!bundleName.isEmpty()) {
                    path.append("&bundle=").append(HostApi.query(bundleName));
                }
            }
            if (cursor != null && !cursor.isEmpty()) {
                path.append("&cursor=").append(HostApi.query(cursor));
            }
            HostApi.Answer answer = console.api().get(Console.base(uri), session.credential(), path.toString());
            List<Entry> entries = new ArrayList<>();
            answer.body().path(listKey(kind)).forEach(e -> entries.add(Entry.of(kind, e)));
            String next = answer.body().path("nextCursor").asText("");
            Chrome chrome = answer.ok() ? console.chrome("Catalogue", "catalogue", session)
                    : new Chrome("Catalogue", "catalogue", session, answer.problem(), false);
            Map<String, Object> params = new HashMap<>();
            params.put("chrome", chrome);
            params.put("kind", kind);
            params.put("q", query);
            params.put("bundle", bundleName);
            params.put("entries", entries);
            params.put("next", next.isEmpty() ? "" : Console.ROOT + "/catalogue?kind=" + kind + "&q="
                    + HostApi.query(query) + "&bundle=" + HostApi.query(bundleName) + "&cursor=" + HostApi.query(next));
            return console.html(200, "catalogue.jte", params);
        });
    }

    /** The field of a listing that holds its entries. */
    static String listKey(String kind) {
        return "templates".equals(kind) ? "resourceTemplates" : kind;
    }

    /**
     * The entry of a kind whose {@code field} is {@code value}, following the API's cursors (the host lists
     * what the user's key may see), or a missing node.
     */
    static JsonNode find(Console console, URI base, ConsoleSession session, String kind, String field, String value) {
        String cursor = "";
        for (int page = 0; page < FIND_PAGES; page++) {
            HostApi.Answer answer = console.api().get(base, session.credential(), "/api/v1/" + kind
                    + (cursor.isEmpty() ? "" : "?cursor=" + HostApi.query(cursor)));
            if (!answer.ok()) {
                break;
            }
            for (JsonNode e : answer.body().path(listKey(kind))) {
                if (value.equals(e.path(field).asText())) {
                    return e;
                }
            }
            cursor = answer.body().path("nextCursor").asText("");
            if (cursor.isEmpty()) {
                break;
            }
        }
        return MissingNode.getInstance();
    }

    /**
     * One tool, resource, resource template or prompt in a list.
     *
     * @param kind tools, resources, templates or prompts
     * @param name its name (a resource: its URI; a template: its URI template)
     * @param title its title, or empty
     * @param description its description, cut at 200 characters
     * @param provider the bundle that provides it, or empty when the listing does not say
     * @param link the console page of its detail, or empty
     */
    public record Entry(String kind, String name, String title, String description, String provider, String link) {

        static Entry of(String kind, JsonNode e) {
            String name = switch (kind) {
                case "resources" -> e.path("uri").asText();
                case "templates" -> e.path("uriTemplate").asText();
                default -> e.path("name").asText();
            };
            String description = e.path("description").asText("");
            if (description.length() > 200) {
                description = description.substring(0, 200) + "…";
            }
            String link = switch (kind) {
                case "tools" -> Console.ROOT + "/tools/" + ToolPages.segment(name);
                case "resources" -> Console.ROOT + "/resources?uri=" + HostApi.query(name);
                case "templates" -> Console.ROOT + "/templates?template=" + HostApi.query(name);
                default -> Console.ROOT + "/prompts/" + ToolPages.segment(name);
            };
            return new Entry(kind, name, e.path("title").asText(""), description, e.path("bundle").asText(""), link);
        }
    }
}
