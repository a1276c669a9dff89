package dev.plugboard.host.security.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.rest.ApiDoc;
import dev.plugboard.host.rest.Problem;
import dev.plugboard.host.security.KeyManagement;
import dev.plugboard.host.security.Operation;
import dev.plugboard.host.security.Principal;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * {@code /api/v1/audit}: the last lines of the audit log ({@code <data>/audit.log}), newest first, paged.
 * The front door lets only principals with the {@code keys} right reach it.
 */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** How far back a page may start: the file is read once per request, keeping only this many lines. */
    static final int MAX_DEPTH = 10_000;

    private final KeysApi.Services services;
    private final ObjectMapper json;

    /** Created by Jersey for each request. */
    @Inject
    AuditResource(KeysApi.Services services) {
        this.services = services;
        this.json = services.json();
    }

    /** A page of the audit log, newest first. */
    @GET
    @ApiDoc(tag = "admin", summary = "Read the audit log, newest first",
            description = "`limit` (1 to 500, default 50) entries from `cursor` (the previous page's `nextCursor`)."
                    + " Each entry is one parsed line of `data/audit.log`.",
            problems = {400, 401, 403})
    public Response page(@QueryParam("limit") String limitParam, @QueryParam("cursor") String cursorParam) {
        if (!Principal.current().rights().may(Operation.KEYS)) {
            return new Problem("forbidden", 403, "Forbidden", KeyManagement.NEEDS_RIGHT).response();
        }
        Integer limit = number(limitParam, DEFAULT_LIMIT);
        if (limit == null || limit < 1 || limit > MAX_LIMIT) {
            return invalid("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        Integer skip = number(cursorParam, 0);
        if (skip == null || skip < 0 || skip > MAX_DEPTH - limit) {
            return invalid("cursor is not one this endpoint gave (at most " + MAX_DEPTH + " entries back)");
        }
        ArrayDeque<String> last = new ArrayDeque<>();
        long total = 0;
        try (BufferedReader reader = Files.newBufferedReader(services.security().audit().file(),
                StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                total++;
                last.addLast(line);
                if (last.size() > skip + limit) {
                    last.removeFirst();
                }
            }
        } catch (NoSuchFileException e) {
            // nothing audited yet
        } catch (IOException e) {
            return new Problem("unavailable", 503, "Unavailable", "the audit log cannot be read").response();
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode entries = out.putArray("entries");
        Iterator<String> newest = last.descendingIterator();
        for (int i = 0; i < skip && newest.hasNext(); i++) {
            newest.next();
        }
        while (newest.hasNext() && entries.size() < limit) {
            entries.add(parse(newest.next()));
        }
        long next = (long) skip + entries.size();
        if (next < total && next + limit <= MAX_DEPTH) {
            out.put("nextCursor", Long.toString(next));
        } else {
            out.putNull("nextCursor");
        }
        return Response.ok(out).build();
    }

    private JsonNode parse(String line) {
        try {
            JsonNode node = json.readTree(line);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // fall through: a damaged line is shown as it is
        }
        return json.createObjectNode().put("unparsed", line);
    }

    private static Integer number(String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Response invalid(String detail) {
        return new Problem("invalid-request", 400, "Invalid request", detail).response();
    }
}
