package dev.plugboard.host.protocol.prompts;

import java.util.List;
import java.util.Objects;

/**
 * A prompt as {@code prompts/list} describes it.
 *
 * @param name its unique name
 * @param title a human-readable title, or null
 * @param description what it is for, or null
 * @param arguments its arguments, in order
 */
public record PromptDescriptor(String name, String title, String description, List<PromptArgument> arguments) {

    /** Rejects a null name and copies the arguments. */
    public PromptDescriptor {
        Objects.requireNonNull(name, "name");
        arguments = List.copyOf(arguments);
    }
}
