package dev.plugboard.router.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A whole answer from a model.
 *
 * @param body the provider's {@code chat.completion} object
 * @param usage its token counts
 * @param firstTokenNanos nanoseconds from the request to the answer's arrival
 */
public record Completion(ObjectNode body, Usage usage, long firstTokenNanos) {

    /** The first choice's text, or "" when it has none. */
    public String text() {
        return body.path("choices").path(0).path("message").path("content").asText("");
    }

    /** The first choice's finish reason, or null. */
    public String finishReason() {
        var v = body.path("choices").path(0).path("finish_reason");
        return v.isTextual() ? v.asText() : null;
    }
}
