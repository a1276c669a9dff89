package dev.plugboard.router.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.RouterException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Error answers of the {@code /v1} doors: one JSON body that is both an OpenAI error
 * ({@code {"error":{"message","type","param","code"}}}, which the {@code openai} clients read) and
 * an RFC 9457 problem document ({@code type}, {@code title}, {@code status}, {@code detail}).
 */
final class WireErrors {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WireErrors() {
    }

    static ObjectNode body(int status, String type, String code, String message) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("type", "https://plugboard.dev/problems/router/" + code.replace('_', '-'));
        out.put("title", title(status));
        out.put("status", status);
        out.put("detail", message);
        ObjectNode error = out.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.put("code", code);
        return out;
    }

    static Response of(RouterException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(e.status(), e.type(), e.code(), e.getMessage()).toString());
        if (e.retryAfterSeconds() > 0) {
            r.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return r.build();
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 429 -> "Too many requests";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            default -> "Error";
        };
    }
}
