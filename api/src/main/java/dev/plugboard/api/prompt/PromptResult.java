package dev.plugboard.api.prompt;

import dev.plugboard.api.content.Message;
import java.util.List;
import java.util.Objects;

/**
 * A rendered prompt.
 *
 * @param description a description of this rendering, or null
 * @param messages the messages, in order; never null
 */
public record PromptResult(String description, List<Message> messages) {

    /** Copies the messages and rejects nulls. */
    public PromptResult {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    }

    /** A result holding the given messages. */
    public static PromptResult of(Message... messages) {
        return new PromptResult(null, List.of(messages));
    }
}
