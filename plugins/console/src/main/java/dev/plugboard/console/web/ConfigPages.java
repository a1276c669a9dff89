package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSession;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
 * Configuration: the PIDs that have settings ({@code GET /api/v1/config}), and one plugin's settings (a
 * configuration PID) as a form, saved through
 * {@code PUT /api/v1/config/{pid}}, which applies them live; the host's validation errors are shown as it
 * gives them. Needs the {@code admin} right; the host checks it again on every call.
 */
@Path(Console.ROOT + "/config")
public final class ConfigPages {

    private final Console console;

    public ConfigPages(Console console) {
        this.console = console;
    }

    /** The form for a PID (empty when no PID is chosen, or when the PID has no settings yet). */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @QueryParam("pid") String pid,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            String chosen = pid == null ? "" : pid.strip();
            Chrome chrome = console.chrome("Configuration", "config", session);
            List<String> pids = pids(session, uri);
            if (chosen.isEmpty()) {
                return render(session, chrome, pids, "", List.of(), false);
            }
            HostApi.Answer answer = console.api().get(Console.base(uri), session.credential(),
                    "/api/v1/config/" + ToolPages.segment(chosen));
            if (answer.status() == 404) {
                return render(session, chrome, pids, chosen, List.of(), true);
            }
            if (!answer.ok()) {
                return render(session, new Chrome("Configuration", "config", session, answer.problem(), false), pids,
                        chosen, List.of(), false);
            }
            List<Setting> settings = new ArrayList<>();
            answer.body().path("properties").properties()
                    .forEach(e -> settings.add(new Setting(e.getKey(), e.getValue().asText())));
            return render(session, chrome, pids, chosen, settings, false);
        });
    }

    /**
     * Saves a PID's settings: the form's {@code key.N}/{@code value.N} pairs (a pair whose key is empty is
     * dropped, so emptying a key removes the setting) replace the PID's settings as a whole.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response save(@CookieParam(Console.COOKIE) String cookie, MultivaluedMap<String, String> form,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.action(cookie, headers, form.getFirst("csrf"), session -> {
            String pid = value(form, "pid");
            List<Setting> settings = new ArrayList<>();
            ObjectNode body = console.api().json().createObjectNode();
            for (int i = 0; form.containsKey("key." + i); i++) {
                String key = value(form, "key." + i);
                if (!key.isEmpty()) {
                    String v = value(form, "value." + i);
                    settings.add(new Setting(key, v));
                    body.put(key, v);
                }
            }
            HostApi.Answer answer = pid.isEmpty() ? HostApi.Answer.refusal("choose a configuration PID")
                    : console.api().sendJson(Console.base(uri), session.credential(), "PUT",
                            "/api/v1/config/" + ToolPages.segment(pid), body);
            if (answer.ok()) {
                console.notice(session, "Saved and applied the settings of " + pid + ".", true);
                return Console.seeOther(Console.ROOT + "/config?pid=" + HostApi.query(pid), headers);
            }
            // the form comes back as it was sent, with the host's reason
            return render(session, new Chrome("Configuration", "config", session, "Not saved: " + answer.problem(),
                    false), pids(session, uri), pid, settings, false);
        });
    }

    /** The PIDs with settings, or none when the host refuses the list (the page then opens a PID by name). */
    private List<String> pids(ConsoleSession session, ContainerRequestContext uri) {
        if (!session.rights().admin()) {
            return List.of();
        }
        HostApi.Answer answer = console.api().get(Console.base(uri), session.credential(), "/api/v1/config");
        List<String> pids = new ArrayList<>();
        if (answer.ok()) {
            answer.body().path("pids").forEach(p -> pids.add(p.asText()));
        }
        return pids;
    }

    private Response render(ConsoleSession session, Chrome chrome, List<String> pids, String pid,
            List<Setting> settings, boolean fresh) {
        if (!session.rights().admin()) {
            return console.refused(403, "Your key may not change the configuration.");
        }
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", chrome);
        params.put("pids", pids);
        params.put("pid", pid);
        params.put("settings", settings);
        params.put("fresh", fresh);
        return console.html(200, "config.jte", params);
    }

    private static String value(MultivaluedMap<String, String> form, String name) {
        String v = form.getFirst(name);
        return v == null ? "" : v.strip();
    }

    /**
     * One setting of a PID.
     *
     * @param key its key
     * @param value its value, as text
     */
    public record Setting(String key, String value) {
    }
}
