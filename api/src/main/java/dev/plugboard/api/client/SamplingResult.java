package dev.plugboard.api.client;

import dev.plugboard.api.content.Message;

/**
 * What the client's model generated.
 *
 * @param message the generated message
 * @param model the model that generated it, or null
 * @param stopReason why generation stopped ({@code endTurn}, {@code maxTokens}, ...), or null
 */
public record SamplingResult(Message message, String model, String stopReason) {
}
