package dev.plugboard.console.web;

import dev.plugboard.console.session.ConsoleSession;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A console page's live updates as server-sent events, for htmx's SSE extension ({@code sse-connect},
 * {@code sse-swap}): every tick the source is asked for the events to send (HTML fragments rendered as the
 * pages are, so escaped), and they are written and flushed. The stream ends when the browser goes away,
 * when the session ends (checked each tick without keeping it alive), or after {@link #LIFETIME}, after
 * which the browser's {@code EventSource} connects again (and so passes the session check anew).
 */
final class LiveStream {

    /** A stream is closed after this long; the browser reconnects. */
    static final Duration LIFETIME = Duration.ofMinutes(5);

    /**
     * A comment larger than the buffer in which Jersey holds the start of a response to learn its length
     * ({@code jersey.config.server.contentLength.buffer}, 8 KB by default): until that buffer overflows, a
     * flush sends nothing, so small events would wait. Sent once per connection, it makes every later
     * flush reach the browser at once.
     */
    static final String PRIMER = ":" + " ".repeat(8200) + "\n\n";

    /**
     * One event.
     *
     * @param name the event's name, which {@code sse-swap} selects
     * @param id the event's id (the browser sends the last one back when it reconnects), or null
     * @param html the fragment
     */
    record Event(String name, String id, String html) {
    }

    /** What to send at each tick; an empty list sends only a comment, which finds a closed connection. */
    interface Source {
        List<Event> next(ConsoleSession session) throws IOException;
    }

    private LiveStream() {
    }

    /** The stream for a live session, ticking every {@code every}. */
    static Response of(Console console, String cookie, Duration every, Source source) {
        if (console.sessions().peek(cookie).isEmpty()) {
            return Console.secured(Response.status(401).type("text/plain; charset=utf-8")
                    .entity("Your console session has ended. Log in again.")).build();
        }
        StreamingOutput body = out -> {
            long end = System.nanoTime() + LIFETIME.toNanos();
            out.write(("retry: 3000\n\n" + PRIMER).getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (System.nanoTime() < end) {
                var session = console.sessions().peek(cookie);
                if (session.isEmpty()) {
                    return;
                }
                List<Event> events = source.next(session.get());
                write(out, events);
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        };
        return Console.secured(Response.ok(body, "text/event-stream")).header("X-Accel-Buffering", "no").build();
    }

    static void write(OutputStream out, List<Event> events) throws IOException {
        StringBuilder text = new StringBuilder();
        if (events.isEmpty()) {
            text.append(": idle\n\n");
        }
        for (Event e : events) {
            text.append(frame(e));
        }
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One event as the SSE wire format: a {@code data:} line for each line of the fragment. */
    static String frame(Event e) {
        StringBuilder text = new StringBuilder();
        if (e.id() != null) {
            text.append("id: ").append(e.id().replaceAll("[\r\n]", "")).append('\n');
        }
        text.append("event: ").append(e.name()).append('\n');
        for (String line : e.html().split("\r\n|\r|\n", -1)) {
            text.append("data: ").append(line).append('\n');
        }
        return text.append('\n').toString();
    }
}
