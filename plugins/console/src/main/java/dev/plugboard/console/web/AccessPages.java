package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSession;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Access: the API keys (never their secrets), a new key shown once on the page that created it, revocation.
 * Needs the {@code keys} right; the host checks it again on every call.
 */
@Path(Console.ROOT + "/access")
public final class AccessPages {

    /** Audit entries a page. */
    static final int AUDIT_PAGE = 25;

    private final Console console;

    public AccessPages(Console console) {
        this.console = console;
    }

    /** The keys. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @QueryParam("audit") String auditCursor,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> render(session, Console.base(uri), null,
                console.chrome("Access", "access", session), auditCursor));
    }

    /** Creates a key; the answer shows it this once (the page is not cached). */
    @POST
    @Path("keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response create(@CookieParam(Console.COOKIE) String cookie, MultivaluedMap<String, String> form,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.action(cookie, headers, form.getFirst("csrf"), session -> {
            ObjectNode body = console.api().json().createObjectNode();
            body.put("name", value(form, "name"));
            String role = value(form, "role");
            if (!role.isEmpty()) {
                body.put("role", role);
            }
            ArrayNode tools = body.putArray("tools");
            for (String line : value(form, "tools").split("[\\s,]+")) {
                if (!line.isBlank()) {
                    tools.add(line.strip());
                }
            }
            String expires = value(form, "expires");
            if (!expires.isEmpty()) {
                body.put("expires", expires);
            }
            URI base = Console.base(uri);
            HostApi.Answer answer = console.api().sendJson(base, session.credential(), "POST", "/api/v1/keys", body);
            Chrome chrome = answer.ok()
                    ? new Chrome("Access", "access", session, "Created key '" + answer.body().path("name").asText()
                            + "'. Copy it now: it is shown only this once.", true)
                    : new Chrome("Access", "access", session, "Not created: " + answer.problem(), false);
            return render(session, base, answer.ok() ? answer.body().path("key").asText() : null, chrome, null);
        });
    }

    /** Revokes a key. */
    @POST
    @Path("keys/{name}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response revoke(@CookieParam(Console.COOKIE) String cookie, @PathParam("name") String name,
            @FormParam("csrf") String csrf, @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.action(cookie, headers, csrf, session -> {
            HostApi.Answer answer = console.api().sendEmpty(Console.base(uri), session.credential(), "DELETE",
                    "/api/v1/keys/" + ToolPages.segment(name));
            console.notice(session, answer.ok() ? "Revoked key '" + name + "'." : "Not revoked: " + answer.problem(),
                    answer.ok());
            return Console.seeOther(Console.ROOT + "/access", headers);
        });
    }

    private Response render(ConsoleSession session, URI base, String createdKey, Chrome chrome, String auditCursor) {
        if (!session.rights().keys()) {
            return console.refused(403, "Your key may not manage API keys.");
        }
        HostApi.Answer answer = console.api().get(base, session.credential(), "/api/v1/keys");
        List<KeyView> keys = new ArrayList<>();
        answer.body().path("keys").forEach(k -> keys.add(KeyView.of(k)));
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", chrome);
        params.put("keys", keys);
        params.put("created", createdKey == null ? "" : createdKey);
        String cursor = auditCursor == null ? "" : auditCursor.strip();
        HostApi.Answer audit = console.api().get(base, session.credential(), "/api/v1/audit?limit=" + AUDIT_PAGE
                + (cursor.isEmpty() ? "" : "&cursor=" + HostApi.query(cursor)));
        List<AuditView> entries = new ArrayList<>();
        audit.body().path("entries").forEach(e -> entries.add(AuditView.of(e)));
        String next = audit.body().path("nextCursor").asText("");
        params.put("audit", entries);
        params.put("auditProblem", audit.ok() ? "" : audit.problem());
        params.put("auditNext", next.isEmpty() ? "" : Console.ROOT + "/access?audit=" + HostApi.query(next) + "#h-audit");
        params.put("sessions", session.rights().admin() ? SessionView.all(console.sessions(), session) : List.of());
        return console.html(200, "access.jte", params);
    }

    private static String value(MultivaluedMap<String, String> form, String name) {
        String v = form.getFirst(name);
        return v == null ? "" : v.strip();
    }

    /**
     * One key, without its secret.
     *
     * @param id its id
     * @param name its name
     * @param roles its roles, comma-separated
     * @param tools the tool globs it is narrowed to, or empty
     * @param expires when it expires, or empty
     * @param revokePath where its revoke form posts
     */
    public record KeyView(String id, String name, String roles, String tools, String expires, String revokePath) {

        static KeyView of(JsonNode k) {
            return new KeyView(k.path("id").asText(""), k.path("name").asText(""), join(k.path("roles")),
                    join(k.path("tools")), k.path("expires").asText(""),
                    Console.ROOT + "/access/keys/" + ToolPages.segment(k.path("name").asText("")) + "/revoke");
        }

        private static String join(JsonNode array) {
            List<String> out = new ArrayList<>();
            array.forEach(a -> out.add(a.asText()));
            return String.join(", ", out);
        }
    }

    /**
     * Who is logged in to the console: one live session (never its id, key or token).
     *
     * @param who the name shown for the key
     * @param role {@code admin}, {@code keys} or {@code user}, from what the key may do
     * @param since when the session began
     * @param lastSeen its last request
     * @param yours whether it is the viewer's own session
     */
    public record SessionView(String who, String role, String since, String lastSeen, boolean yours) {

        static List<SessionView> all(dev.plugboard.console.session.ConsoleSessions sessions, ConsoleSession viewer) {
            List<SessionView> out = new ArrayList<>();
            sessions.live().forEach(seen -> {
                ConsoleSession s = seen.session();
                out.add(new SessionView(s.who(), s.rights().admin() ? "admin" : s.rights().keys() ? "keys" : "user",
                        s.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                        seen.lastSeen().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                        s.id().equals(viewer.id())));
            });
            return out;
        }
    }

    /**
     * One line of the audit log.
     *
     * @param at when
     * @param who the principal
     * @param what the operation or request
     * @param outcome admitted, denied, ...
     * @param detail the reason, or empty
     */
    public record AuditView(String at, String who, String what, String outcome, String detail) {

        static AuditView of(JsonNode e) {
            if (e.has("unparsed")) {
                return new AuditView("", "", e.path("unparsed").asText(""), "", "");
            }
            return new AuditView(e.path("at").asText(""), e.path("who").asText(""), e.path("what").asText(""),
                    e.path("outcome").asText(""), e.path("detail").asText(""));
        }
    }
}
