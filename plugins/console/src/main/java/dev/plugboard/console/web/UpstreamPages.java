package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.console.api.HostApi;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstreams and virtual servers: the proxy's upstream MCP servers (state, breaker, latency, last error, their
 * tools) and the host's virtual servers, from {@code GET /api/v1/admin/upstreams}. Needs the {@code admin} right.
 */
@Path(Console.ROOT + "/upstreams")
public final class UpstreamPages {

    private final Console console;

    public UpstreamPages(Console console) {
        this.console = console;
    }

    /** The page. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @Context HttpHeaders headers,
            @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            if (!session.rights().admin()) {
                return console.refused(403, "Your key may not see the upstream servers.");
            }
            HostApi.Answer answer = console.api().get(Console.base(uri), session.credential(),
                    "/api/v1/admin/upstreams");
            JsonNode body = answer.body();
            List<UpstreamView> upstreams = new ArrayList<>();
            body.path("upstreams").properties().forEach(e -> upstreams.add(UpstreamView.of(e.getKey(), e.getValue())));
            List<ServerView> servers = new ArrayList<>();
            body.path("servers").properties().forEach(e -> servers.add(new ServerView(e.getKey(),
                    e.getValue().path("state").asText(""), e.getValue().path("mode").asText(""),
                    e.getValue().path("lastError").asText(""), "/servers/"
                    + ToolPages.segment(e.getKey()) + "/mcp")));
            Map<String, Object> params = new HashMap<>();
            params.put("chrome", console.chrome("Upstreams and virtual servers", "upstreams", session));
            params.put("problem", answer.ok() ? "" : answer.problem());
            params.put("proxy", body.path("proxy").asText("absent"));
            params.put("fileError", body.path("fileError").asText(""));
            params.put("upstreams", upstreams);
            params.put("servers", servers);
            return console.html(200, "upstreams.jte", params);
        });
    }

    /**
     * One upstream server.
     *
     * @param name its name in {@code mcp-servers.json}
     * @param state {@code connected}, {@code connecting}, {@code failed}, {@code invalid}, ...
     * @param transport stdio, http or sse
     * @param breaker its circuit breaker's state, or empty
     * @param latency the last call's or ping's latency, as text, or empty
     * @param lastError its last error, or empty
     * @param tools how many tools it provides
     * @param restarts how often it was restarted
     * @param toolsLink the catalogue searched for its tools' prefix, or empty
     */
    public record UpstreamView(String name, String state, String transport, String breaker, String latency,
            String lastError, long tools, long restarts, String toolsLink) {

        static UpstreamView of(String name, JsonNode u) {
            String prefix = u.path("prefix").asText("");
            return new UpstreamView(name, u.path("state").asText("unknown"), u.path("transport").asText(""),
                    u.path("breaker").asText(""), u.path("latencyMillis").isNumber()
                            ? u.path("latencyMillis").asLong() + " ms" : "",
                    u.path("lastError").isTextual() ? u.path("lastError").asText() : "", u.path("tools").asLong(0),
                    u.path("restarts").asLong(0), prefix.isEmpty() ? ""
                            : Console.ROOT + "/catalogue?kind=tools&q=" + HostApi.query(prefix));
        }
    }

    /**
     * One virtual server.
     *
     * @param name its name
     * @param state {@code serving} or {@code invalid}
     * @param mode {@code direct} or {@code search}
     * @param lastError why it is not served, or empty
     * @param endpoint its MCP endpoint's path
     */
    public record ServerView(String name, String state, String mode, String lastError, String endpoint) {
    }
}
