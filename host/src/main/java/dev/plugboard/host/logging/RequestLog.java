package dev.plugboard.host.logging;

import dev.plugboard.host.engine.Door;
import dev.plugboard.host.engine.RequestObserver;
import dev.plugboard.host.protocol.ProtocolVersion;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One log line per request at FINE (debug), from the engine's {@link RequestObserver}: door,
 * method, tool, outcome, revision and duration, as fields of the record (its only parameter is a
 * map), so that {@code log.format=json} writes them as JSON fields. At INFO and above it costs one
 * level check per request.
 */
public final class RequestLog implements RequestObserver {

    private static final Logger LOG = Logger.getLogger("dev.plugboard.host.requests");
    private static final int MAX_NAME = 100;

    private final RequestObserver next;

    private RequestLog(RequestObserver next) {
        this.next = next;
    }

    /** Logs each request, then tells the next observer. */
    public static RequestObserver around(RequestObserver next) {
        return new RequestLog(next);
    }

    @Override
    public void started() {
        next.started();
    }

    @Override
    public void finished(Door door, ProtocolVersion version, String method, String tool, Outcome outcome,
            long nanos) {
        next.finished(door, version, method, tool, outcome, nanos);
        if (!LOG.isLoggable(Level.FINE)) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("door", door.name().toLowerCase(Locale.ROOT));
        fields.put("method", printable(method));
        if (tool != null) {
            fields.put("tool", printable(tool));
        }
        fields.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
        fields.put("revision", version.id());
        fields.put("durationMs", nanos / 1_000_000.0);
        LogRecord record = new LogRecord(Level.FINE, "request " + fields);
        record.setLoggerName(LOG.getName());
        record.setParameters(new Object[] {fields});
        LOG.log(record);
    }

    /** A client's name fit for a log line: no control characters, at most 100 characters. */
    private static String printable(String name) {
        if (name == null) {
            return null;
        }
        String shown = name.length() > MAX_NAME ? name.substring(0, MAX_NAME) + "..." : name;
        StringBuilder sb = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
