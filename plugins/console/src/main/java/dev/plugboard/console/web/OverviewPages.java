package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSession;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The overview: health of each part, bundles by state, sessions, requests per second, errors, p99, tasks. */
@Path(Console.ROOT + "/overview")
public final class OverviewPages {

    private final Console console;
    private volatile Sample last;

    public OverviewPages(Console console) {
        this.console = console;
    }

    /** The page; its figures refresh themselves every few seconds (htmx polling the fragment below). */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @Context HttpHeaders headers,
            @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> console.html(200, "overview.jte", Map.of(
                "chrome", console.chrome("Overview", "overview", session), "figures", figures(session, uri))));
    }

    /** The figures alone, for the live refresh. */
    @GET
    @Path("live")
    @Produces(MediaType.TEXT_HTML)
    public Response live(@CookieParam(Console.COOKIE) String cookie, @Context HttpHeaders headers,
            @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> console.html(200, "overview_live.jte",
                Map.of("figures", figures(session, uri))));
    }

    private Overview figures(ConsoleSession session, ContainerRequestContext uri) {
        URI base = Console.base(uri);
        HostApi api = console.api();
        HostApi.Answer health = api.get(base, session.credential(), "/health");
        List<Overview.Part> parts = new ArrayList<>();
        health.body().path("parts").properties().forEach(p -> parts.add(new Overview.Part(p.getKey(),
                p.getValue().path("status").asText("UNKNOWN"), details(p.getValue()))));
        MetricsText metrics = MetricsText.parse(api.text(base, session.credential(), "/metrics"));
        long now = System.nanoTime();
        Sample previous = last;
        last = new Sample(now, metrics.requests());
        double perSecond = previous == null || now <= previous.nanos ? 0
                : Math.max(0, (metrics.requests() - previous.requests) * 1e9 / (now - previous.nanos));
        Map<String, Long> tasks = new LinkedHashMap<>();
        api.get(base, session.credential(), "/api/v1/stats").body().path("byStatus").properties()
                .forEach(e -> tasks.put(e.getKey(), e.getValue().asLong()));
        return new Overview(health.body().path("status").asText(health.ok() ? "UP" : "UNKNOWN"),
                health.body().path("version").asText(""), parts, metrics, perSecond, tasks);
    }

    private static String details(JsonNode part) {
        List<String> details = new ArrayList<>();
        part.properties().forEach(e -> {
            if (!"status".equals(e.getKey())) {
                details.add(e.getKey() + ": " + (e.getValue().isValueNode() ? e.getValue().asText()
                        : e.getValue().toString()));
            }
        });
        String text = String.join("; ", details);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private record Sample(long nanos, double requests) {
    }
}
