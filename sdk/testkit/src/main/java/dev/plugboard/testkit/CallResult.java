package dev.plugboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of a {@code tools/call}, as the client received it.
 *
 * @param json the {@code result} object of the JSON-RPC response
 */
public record CallResult(JsonNode json) {

    /** Whether the tool reported an error ({@code isError: true}). */
    public boolean isError() {
        return json.path("isError").asBoolean(false);
    }

    /** The text of the first text block, or null when there is none. */
    public String text() {
        List<String> texts = texts();
        return texts.isEmpty() ? null : texts.get(0);
    }

    /** The text of every text block, in order. */
    public List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (JsonNode block : json.path("content")) {
            if ("text".equals(block.path("type").asText())) {
                texts.add(block.path("text").asText());
            }
        }
        return texts;
    }

    /** The {@code structuredContent} (a record result), or a missing node when there is none. */
    public JsonNode structured() {
        return json.path("structuredContent");
    }
}
