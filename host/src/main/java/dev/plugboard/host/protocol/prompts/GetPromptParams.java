package dev.plugboard.host.protocol.prompts;

import java.util.Map;

/**
 * Parameters of {@code prompts/get}.
 *
 * @param name the prompt's name
 * @param arguments its arguments, or null
 */
public record GetPromptParams(String name, Map<String, String> arguments) {
}
