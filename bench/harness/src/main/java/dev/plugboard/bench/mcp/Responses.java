package dev.plugboard.bench.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Finds the JSON-RPC response to a request in an HTTP response body, whether the server answered
 * with {@code application/json} or with an SSE stream ({@code text/event-stream}) that may carry
 * notifications before the response.
 */
public final class Responses {

    private Responses() {
    }

    /**
     * The response with the given id.
     *
     * @param contentType the response's Content-Type, or null
     * @param body the whole body
     * @param id the request's id
     * @throws CheckFailed when the body holds no response with that id, or is not JSON
     */
    public static JsonNode find(ObjectMapper mapper, String contentType, String body, long id) throws CheckFailed {
        if (contentType != null && contentType.startsWith("text/event-stream")) {
            return fromEvents(mapper, body, id);
        }
        JsonNode message = parse(mapper, body);
        if (!message.path("id").isIntegralNumber() || message.get("id").asLong() != id) {
            throw new CheckFailed("response id " + message.path("id") + " for request " + id);
        }
        return message;
    }

    private static JsonNode fromEvents(ObjectMapper mapper, String body, long id) throws CheckFailed {
        StringBuilder data = new StringBuilder();
        for (String line : (body + "\n\n").split("\r?\n", -1)) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    JsonNode message = parse(mapper, data.toString());
                    data.setLength(0);
                    if (message.path("id").isIntegralNumber() && message.get("id").asLong() == id
                            && (message.has("result") || message.has("error"))) {
                        return message;
                    }
                }
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
            }
        }
        throw new CheckFailed("no response to request " + id + " in the event stream");
    }

    private static JsonNode parse(ObjectMapper mapper, String json) throws CheckFailed {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new CheckFailed("not JSON: " + abbreviate(json));
        }
    }

    /**
     * Checks that a response is the echo tool's result for a message: exactly that text as its first
     * content, and no error.
     */
    public static void checkEcho(JsonNode response, String message) throws CheckFailed {
        JsonNode result = response.get("result");
        if (result == null) {
            throw new CheckFailed("echo answered " + abbreviate(response.toString()));
        }
        JsonNode content = result.path("content").path(0);
        if (result.path("isError").asBoolean(false) || !"text".equals(content.path("type").asText())
                || !message.equals(content.path("text").asText())) {
            throw new CheckFailed("echo answered " + abbreviate(result.toString()));
        }
    }

    /** The first 120 characters of a text, for error reports. */
    public static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
