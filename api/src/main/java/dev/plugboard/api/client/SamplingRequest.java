package dev.plugboard.api.client;

import dev.plugboard.api.content.Message;
import java.util.List;
import java.util.Objects;

/**
 * Asks the client's model to generate a message.
 *
 * @param messages the conversation so far; never empty
 * @param maxTokens the most tokens to generate
 * @param systemPrompt a system prompt, or null
 * @param temperature the sampling temperature, or null for the client's choice
 * @param stopSequences sequences that end generation; may be empty
 */
public record SamplingRequest(List<Message> messages, int maxTokens, String systemPrompt, Double temperature,
        List<String> stopSequences) implements InputRequest {

    /** Checks the values and copies the lists. */
    public SamplingRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a sampling request needs at least one message");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive");
        }
        stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    }

    /** Asks the model one question. */
    public static SamplingRequest of(String userText, int maxTokens) {
        return new SamplingRequest(List.of(Message.user(userText)), maxTokens, null, null, List.of());
    }

    @Override
    public ClientCapability capability() {
        return ClientCapability.SAMPLING;
    }
}
