package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSession;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
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
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Modules: the list with state, version, what each provides and its last error; install by upload (a file
 * input, or a jar dropped on it) or from a URL the host allows, update, start, stop, remove, one at a time or in bulk. Each action is one
 * call of the admin API, which answers when the deployer is done, so the outcome shown is what happened.
 */
@Path(Console.ROOT + "/modules")
public final class ModulePages {

    static final int PAGE = 50;

    private final Console console;

    public ModulePages(Console console) {
        this.console = console;
    }

    /** The list, 50 a page. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @QueryParam("page") int page,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            if (!session.rights().admin()) {
                return console.refused(403, "Your key may not administer modules.");
            }
            HostApi.Answer answer = console.api().get(Console.base(uri), session.credential(), "/api/v1/modules");
            List<ModuleRow> all = new ArrayList<>();
            answer.body().path("modules").forEach(m -> all.add(ModuleRow.of(m)));
            int from = Math.max(0, page) * PAGE;
            List<ModuleRow> rows = from >= all.size() ? List.of() : all.subList(from, Math.min(all.size(),
                    from + PAGE));
            Chrome chrome = console.chrome("Modules", "modules", session);
            if (!answer.ok()) {
                chrome = new Chrome("Modules", "modules", session, answer.problem(), false);
            }
            return console.html(200, "modules.jte", Map.of("chrome", chrome, "modules", rows, "page",
                    Math.max(0, page), "more", from + PAGE < all.size(), "total", all.size()));
        });
    }

    /** Installs the uploaded jar (the form's multipart body goes to the admin API as it came). */
    @POST
    @Path("upload")
    @Produces(MediaType.TEXT_HTML)
    public Response upload(@CookieParam(Console.COOKIE) String cookie, @QueryParam("csrf") String csrf,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri, InputStream body) {
        return console.action(cookie, headers, csrf, session -> {
            if (!session.rights().admin()) {
                return console.refused(403, "Your key may not administer modules.");
            }
            HostApi.Answer answer = console.api().sendStream(Console.base(uri), session.credential(), "POST",
                    "/api/v1/modules", contentType(headers), () -> body);
            report(session, answer, "Installed");
            return Console.seeOther(Console.ROOT + "/modules", headers);
        });
    }

    /**
     * Installs the jar at a URL: the admin API downloads it when the host's {@code admin.installUrls} allows the
     * URL, and refuses it with its reason otherwise.
     */
    @POST
    @Path("install-url")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response installFromUrl(@CookieParam(Console.COOKIE) String cookie, MultivaluedMap<String, String> form,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.action(cookie, headers, form.getFirst("csrf"), session -> {
            String url = form.getFirst("url") == null ? "" : form.getFirst("url").strip();
            if (url.isEmpty()) {
                console.notice(session, "Give the URL of a bundle jar.", false);
                return Console.seeOther(Console.ROOT + "/modules", headers);
            }
            ObjectNode body = console.api().json().createObjectNode().put("url", url);
            report(session, console.api().sendJson(Console.base(uri), session.credential(), "POST", "/api/v1/modules",
                    body), "Installed");
            return Console.seeOther(Console.ROOT + "/modules", headers);
        });
    }

    /** Replaces a module with the uploaded jar. */
    @POST
    @Path("{name}/update")
    @Produces(MediaType.TEXT_HTML)
    public Response update(@CookieParam(Console.COOKIE) String cookie, @PathParam("name") String name,
            @QueryParam("csrf") String csrf, @Context HttpHeaders headers, @Context ContainerRequestContext uri, InputStream body) {
        return console.action(cookie, headers, csrf, session -> {
            HostApi.Answer answer = console.api().sendStream(Console.base(uri), session.credential(), "PUT",
                    "/api/v1/modules/" + HostApi.query(name), contentType(headers), () -> body);
            report(session, answer, "Updated");
            return Console.seeOther(Console.ROOT + "/modules", headers);
        });
    }

    /** Starts, stops or removes the ticked modules. */
    @POST
    @Path("actions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response act(@CookieParam(Console.COOKIE) String cookie, MultivaluedMap<String, String> form,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.action(cookie, headers, form.getFirst("csrf"), session -> {
            String action = form.getFirst("action");
            List<String> names = form.get("module") == null ? List.of() : form.get("module");
            if (action == null || !List.of("start", "stop", "remove").contains(action) || names.isEmpty()) {
                console.notice(session, "Tick one or more modules, then choose start, stop or remove.", false);
                return Console.seeOther(Console.ROOT + "/modules", headers);
            }
            URI base = Console.base(uri);
            List<String> done = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (String name : names) {
                String path = "/api/v1/modules/" + HostApi.query(name);
                HostApi.Answer answer = "remove".equals(action)
                        ? console.api().sendEmpty(base, session.credential(), "DELETE", path)
                        : console.api().sendEmpty(base, session.credential(), "POST", path + "/" + action);
                if (answer.ok()) {
                    done.add(name);
                } else {
                    failed.add(name + ": " + answer.problem());
                }
            }
            String verb = switch (action) {
                case "start" -> "Started";
                case "stop" -> "Stopped";
                default -> "Removed";
            };
            String text = (done.isEmpty() ? "" : verb + " " + String.join(", ", done) + ". ")
                    + (failed.isEmpty() ? "" : "Failed: " + String.join("; ", failed) + ".");
            console.notice(session, text.strip(), failed.isEmpty());
            return Console.seeOther(Console.ROOT + "/modules", headers);
        });
    }

    private void report(ConsoleSession session, HostApi.Answer answer, String verb) {
        if (answer.ok()) {
            JsonNode m = answer.body();
            console.notice(session, verb + " " + m.path("name").asText() + " " + m.path("version").asText() + ": "
                    + m.path("state").asText() + ".", true);
        } else {
            console.notice(session, "Refused: " + answer.problem(), false);
        }
    }

    private static String contentType(HttpHeaders headers) {
        String type = headers.getHeaderString("Content-Type");
        return type == null ? "application/octet-stream" : type;
    }

    /**
     * One module as the list shows it.
     *
     * @param name the bundle's symbolic name
     * @param version its version
     * @param state its state
     * @param tools the tools it provides
     * @param resources how many resources it provides
     * @param prompts how many prompts it provides
     * @param error why its last deployment failed, or empty
     * @param problems components that failed and entries skipped
     */
    public record ModuleRow(String name, String version, String state, List<String> tools, int resources,
            int prompts, String error, List<String> problems) {

        static ModuleRow of(JsonNode m) {
            List<String> tools = new ArrayList<>();
            m.path("provides").path("tools").forEach(t -> tools.add(t.asText()));
            List<String> problems = new ArrayList<>();
            m.path("problems").forEach(p -> problems.add(p.isTextual() ? p.asText() : p.toString()));
            return new ModuleRow(m.path("name").asText(), m.path("version").asText(), m.path("state").asText(),
                    tools, m.path("provides").path("resources").size(), m.path("provides").path("prompts").size(),
                    m.path("error").isNull() ? "" : m.path("error").asText(""), problems);
        }

        /** The tools as one line, shortened past ten. */
        public String toolList() {
            return tools.size() <= 10 ? String.join(", ", tools)
                    : String.join(", ", tools.subList(0, 10)) + " and " + (tools.size() - 10) + " more";
        }

        /** An id for the row's check box. */
        public String checkId() {
            return "m-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
        }

        /** The id of the row's update form. */
        public String updateId() {
            return "u-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
        }

        /** Where the row's update form posts. */
        public String updatePath() {
            return Console.ROOT + "/modules/" + ToolPages.segment(name) + "/update";
        }
    }
}
