package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSession;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Logs: the host's recent log records, newest first, filtered by level, from {@code GET /api/v1/admin/logs};
 * new records are pushed while the page is open (htmx's SSE extension). Needs the {@code admin} right.
 */
@Path(Console.ROOT + "/logs")
public final class LogPages {

    /** The levels offered, most severe first. */
    static final List<String> LEVELS = List.of("SEVERE", "WARNING", "INFO", "CONFIG", "FINE");
    /** Records on the page. */
    static final int PAGE = 100;
    /** A message is cut to this many characters on the page, so that a page stays small. */
    static final int MAX_MESSAGE = 500;
    /** How often the stream asks for new records. */
    static final Duration EVERY = Duration.ofSeconds(1);

    private final Console console;

    public LogPages(Console console) {
        this.console = console;
    }

    /** The page. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @QueryParam("level") String level,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            if (!session.rights().admin()) {
                return console.refused(403, "Your key may not read the host's log.");
            }
            String chosen = level(level);
            Slice slice = read(session, Console.base(uri), chosen, 0);
            Map<String, Object> params = new HashMap<>();
            params.put("chrome", console.chrome("Logs", "logs", session));
            params.put("levels", LEVELS);
            params.put("level", chosen);
            params.put("records", slice.records());
            params.put("problem", slice.problem());
            params.put("stream", Console.ROOT + "/logs/stream?level=" + chosen + "&after=" + slice.last());
            return console.html(200, "logs.jte", params);
        });
    }

    /**
     * New records as server-sent events ({@code logs}, rows newest first), after {@code after} or the
     * {@code Last-Event-ID} the browser sends when it reconnects.
     */
    @GET
    @Path("stream")
    @Produces("text/event-stream")
    public Response stream(@CookieParam(Console.COOKIE) String cookie, @QueryParam("level") String level,
            @QueryParam("after") String after, @HeaderParam("Last-Event-ID") String lastEventId,
            @Context ContainerRequestContext uri) {
        String chosen = level(level);
        URI base = Console.base(uri);
        long[] last = {Math.max(number(after), number(lastEventId))};
        return LiveStream.of(console, cookie, EVERY, session -> {
            if (!session.rights().admin()) {
                return List.of();
            }
            Slice slice = read(session, base, chosen, last[0]);
            if (slice.records().isEmpty() || slice.last() <= last[0]) {
                return List.of();
            }
            last[0] = slice.last();
            return List.of(new LiveStream.Event("logs", Long.toString(slice.last()),
                    console.render("log_rows.jte", Map.of("records", slice.records()))));
        });
    }

    private Slice read(ConsoleSession session, URI base, String level, long after) {
        HostApi.Answer answer = console.api().get(base, session.credential(), "/api/v1/admin/logs?level="
                + HostApi.query(level) + "&limit=" + PAGE + "&after=" + after);
        List<Line> records = new ArrayList<>();
        for (JsonNode r : answer.body().path("records")) {
            records.add(new Line(r.path("seq").asLong(), r.path("at").asText(""), r.path("level").asText(""),
                    r.path("logger").asText(""), cut(r.path("message").asText("")), cut(r.path("thrown").asText(""))));
        }
        java.util.Collections.reverse(records);
        return new Slice(records, answer.body().path("last").asLong(after), answer.ok() ? "" : answer.problem());
    }

    private static String cut(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }

    private static String level(String level) {
        String upper = level == null ? "" : level.strip().toUpperCase(Locale.ROOT);
        return LEVELS.contains(upper) ? upper : "INFO";
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Math.max(0, Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private record Slice(List<Line> records, long last, String problem) {
    }

    /**
     * One log record.
     *
     * @param seq its sequence number
     * @param at when
     * @param level its level
     * @param logger the logger
     * @param message the message
     * @param thrown the exception's summary, or empty
     */
    public record Line(long seq, String at, String level, String logger, String message, String thrown) {
    }
}
