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
import java.time.Duration;
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

    /** How often the live stream sends the figures. */
    static final Duration EVERY = Duration.ofSeconds(3);

    /**
     * The page; its figures are pushed every few seconds through {@link #stream} (htmx's SSE extension);
     * without scripts, the page's refresh link loads it again.
     */
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

    /** The figures as server-sent events ({@code overview}), every {@link #EVERY}. */
    @GET
    @Path("stream")
    @Produces("text/event-stream")
    public Response stream(@CookieParam(Console.COOKIE) String cookie, @Context ContainerRequestContext uri) {
        URI base = Console.base(uri);
        return LiveStream.of(console, cookie, EVERY, session -> List.of(new LiveStream.Event("overview", null,
                console.render("overview_live.jte", Map.of("figures", figures(session, base))))));
    }

    private Overview figures(ConsoleSession session, ContainerRequestContext uri) {
        return figures(session, Console.base(uri));
    }

    private Overview figures(ConsoleSession session, URI base) {
        HostApi api = console.api();
        HostApi.Answer health = api.get(base, session.credential(), "/health");
        List<Overview.Part> parts = new ArrayList<>();
        health.body().path("parts").properties().forEach(p -> parts.add(new Overview.Part(p.getKey(),
                p.getValue().path("status").asText("UNKNOWN"), details(p.getValue()))));
        String text = api.text(base, session.credential(), "/metrics");
        MetricsText metrics = MetricsText.parse(text);
        long now = System.nanoTime();
        Sample previous = last;
        last = new Sample(now, metrics.requests());
        double perSecond = previous == null || now <= previous.nanos ? 0
                : Math.max(0, (metrics.requests() - previous.requests) * 1e9 / (now - previous.nanos));
        Map<String, Long> tasks = new LinkedHashMap<>();
        api.get(base, session.credential(), "/api/v1/stats").body().path("byStatus").properties()
                .forEach(e -> tasks.put(e.getKey(), e.getValue().asLong()));
        return new Overview(health.body().path("status").asText(health.ok() ? "UP" : "UNKNOWN"),
                health.body().path("version").asText(""), parts, metrics, perSecond, tasks, RouterFigures.parse(text));
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
