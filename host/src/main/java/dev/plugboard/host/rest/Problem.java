package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.door.OperationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every REST error. Its {@code type} is
 * {@value #TYPE_BASE}{@code <kind>}, stable per kind of error (listed in {@code docs/rest.md}); its
 * {@code detail} is a sentence for a human, never a class name or a stack trace; validation
 * problems add {@code violations}, each a JSON {@code pointer} into the request body and a {@code reason}.
 *
 * @param kind the last segment of the type, such as {@code not-found}
 * @param status the HTTP status
 * @param title a short summary of the kind
 * @param detail what happened this time
 * @param violations where the body fails its schema; empty for other problems
 */
public record Problem(String kind, int status, String title, String detail,
        List<OperationException.Violation> violations) {

    /** Where the problem types live; a type is this plus the kind. */
    public static final String TYPE_BASE = "https://plugboard.dev/problems/";
    /** The media type of problem documents. */
    public static final MediaType MEDIA_TYPE = MediaType.valueOf("application/problem+json");

    /** Copies the violations. */
    public Problem {
        violations = List.copyOf(violations);
    }

    /** A problem without violations. */
    public Problem(String kind, int status, String title, String detail) {
        this(kind, status, title, detail, List.of());
    }

    /** The problem an operation's failure is. */
    public static Problem of(OperationException e) {
        String detail = e.getMessage();
        return switch (e.kind()) {
            case NOT_FOUND -> new Problem("not-found", 404, "Not found", detail);
            case INVALID_ARGUMENTS -> new Problem("invalid-arguments", 422, "Invalid arguments", detail, e.violations());
            case INVALID_REQUEST -> new Problem("invalid-request", 400, "Invalid request", detail);
            case BUSY -> new Problem("busy", 503, "Busy", detail);
            case RATE_LIMITED -> new Problem("rate-limited", 429, "Too many requests", detail);
            case TIMED_OUT -> new Problem("timed-out", 504, "Timed out", detail);
            case GONE -> new Problem("gone", 503, "Gone", detail);
            case FAILED -> new Problem("tool-failed", 502, "Tool failed", detail);
            case CANCELLED -> new Problem("cancelled", 503, "Cancelled", detail);
            case INPUT_REQUIRED -> new Problem("input-required", 422, "Input required", detail);
            case UNAVAILABLE -> new Problem("unavailable", 503, "Unavailable", detail);
            case INTERNAL -> new Problem("internal", 500, "Internal error", "Internal error");
        };
    }

    /** The full type URI. */
    public String type() {
        return TYPE_BASE + kind;
    }

    /** The document. */
    public ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", type()).put("title", title).put("status", status);
        if (detail != null) {
            node.put("detail", detail);
        }
        if (!violations.isEmpty()) {
            var list = node.putArray("violations");
            violations.forEach(v -> list.addObject().put("pointer", v.pointer()).put("reason", v.reason()));
        }
        return node;
    }

    /** The response carrying this problem; a retryable one says when to retry. */
    public Response response() {
        Response.ResponseBuilder b = Response.status(status).type(MEDIA_TYPE).entity(json());
        if (status == 503 || status == 429) {
            b.header("Retry-After", "1");
        }
        return b.build();
    }
}
