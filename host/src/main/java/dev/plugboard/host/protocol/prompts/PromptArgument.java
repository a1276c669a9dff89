package dev.plugboard.host.protocol.prompts;

/**
 * One argument of a prompt.
 *
 * @param name its name
 * @param description what it means, or null
 * @param required whether it must be given
 */
public record PromptArgument(String name, String description, boolean required) {
}
