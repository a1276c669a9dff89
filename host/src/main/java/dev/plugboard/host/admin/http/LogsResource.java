package dev.plugboard.host.admin.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.admin.AdminException;
import dev.plugboard.host.logging.RecentLogs;
import dev.plugboard.host.rest.ApiDoc;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.logging.Level;

/** {@code GET /api/v1/admin/logs}: the host's recent log records, for a live tail. */
@Path("/api/v1/admin/logs")
@Produces(MediaType.APPLICATION_JSON)
public final class LogsResource {

    private static final int MAX_LIMIT = 500;

    private final AdminViews.Sources sources;

    /** Created by Jersey for each request. */
    @Inject
    LogsResource(AdminViews.Sources sources) {
        this.sources = sources;
    }

    /** The records after {@code after}, at or above {@code level}. */
    @GET
    @ApiDoc(tag = "admin", summary = "Tail the log", response = "LogRecords", problems = {400, 401},
            description = "The last log records the host kept in memory (the newest 1,000), oldest first: those"
                    + " after the sequence number `after` (0 or absent: from the oldest kept), at or above `level`"
                    + " (`SEVERE`/`ERROR`, `WARNING`/`WARN`, `INFO`, `CONFIG`, `FINE`/`DEBUG`, `FINER`, `FINEST`/`TRACE`;"
                    + " default `INFO`), at most `limit` (1 to 500, default 200; the newest when more matched)."
                    + " Ask again with `after` set to the answer's `last`. A record with an exception carries its"
                    + " one-line summary, never a stack trace.")
    public ObjectNode tail(@QueryParam("level") String level, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Level min = level == null || level.isBlank() ? Level.INFO : RecentLogs.level(level).orElseThrow(() ->
                new AdminException(AdminException.Reason.BAD_REQUEST, "level must be one of SEVERE (ERROR), WARNING"
                        + " (WARN), INFO, CONFIG, FINE (DEBUG), FINER, FINEST (TRACE)"));
        RecentLogs.Slice slice = sources.logs().after(number("after", after, 0, 0, Long.MAX_VALUE), min,
                (int) number("limit", limit, 200, 1, MAX_LIMIT));
        ObjectNode out = sources.json().createObjectNode();
        ArrayNode records = out.putArray("records");
        slice.entries().forEach(e -> {
            ObjectNode r = records.addObject();
            r.put("seq", e.seq());
            r.put("at", e.at().toString());
            r.put("level", e.level());
            r.put("logger", e.logger());
            r.put("message", e.message());
            if (e.thrown() != null) {
                r.put("thrown", e.thrown());
            }
        });
        out.put("last", slice.last());
        return out;
    }

    private static long number(String name, String value, long otherwise, long min, long max) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new AdminException(AdminException.Reason.BAD_REQUEST, name + " must be a whole number from " + min
                + (max == Long.MAX_VALUE ? "" : " to " + max));
    }
}
