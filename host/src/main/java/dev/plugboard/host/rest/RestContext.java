package dev.plugboard.host.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.door.ChangeFeed;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.http.HangUps;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import org.glassfish.grizzly.http.server.Request;

/**
 * What the REST resources share: the operations, the change feed, the JSON settings, the limits.
 *
 * @param operations what the API does
 * @param feed the changes {@code /api/v1/events} shows
 * @param mapper reads and writes JSON
 * @param hangUps notices clients that went away mid-call
 * @param maxBodyBytes the largest request body (413 beyond)
 * @param keepAlive how often an idle event stream gets a comment
 * @param openApi the API's description
 */
record RestContext(Operations operations, ChangeFeed feed, ObjectMapper mapper, HangUps hangUps, long maxBodyBytes,
        Duration keepAlive, OpenApi openApi) {

    /**
     * A JSON request body, or null when it is empty.
     *
     * @throws ProblemException 413 when it is larger than the limit, 400 when it is not JSON
     */
    JsonNode body(Request request, InputStream in) {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        } catch (IOException e) {
            throw ProblemException.invalid("the body could not be read");
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ProblemException(new Problem("malformed-json", 400, "Malformed JSON", "the body is not valid JSON"
                    + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")")));
        } catch (IOException e) {
            throw ProblemException.invalid("the body could not be read");
        }
    }

    private ProblemException tooLarge() {
        return new ProblemException(new Problem("payload-too-large", 413, "Payload too large",
                "the body exceeds the limit of " + maxBodyBytes + " bytes"));
    }

    /** An optional boolean query parameter. */
    static Boolean bool(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ProblemException.invalid(name + " must be true or false");
        };
    }

    /** An integer query parameter within bounds. */
    static int integer(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.invalid(name + " must be an integer from " + min + " to " + max);
    }
}
