package dev.plugboard.api.dynamic;

import java.util.List;
import java.util.Objects;

/**
 * A prompt defined at run time.
 *
 * @param name the name clients get it by: 1 to 128 characters from A-Z, a-z, 0-9, '_', '-' and '.';
 *     unique in the catalogue
 * @param title a human-readable title, or null
 * @param description what it is for, or null
 * @param arguments its arguments, in order
 * @param handler what renders it
 * @param completion what proposes values for its arguments, or null for none
 * @since 1.1
 */
public record DynamicPrompt(String name, String title, String description, List<Argument> arguments,
        DynamicPromptHandler handler, DynamicCompletionHandler completion) {

    /** Checks that the required parts are there and copies the arguments. */
    public DynamicPrompt {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }

    /**
     * One argument of a prompt.
     *
     * @param name its name
     * @param description what it means, or null
     * @param required whether it must be given
     */
    public record Argument(String name, String description, boolean required) {

        /** Rejects a null name. */
        public Argument {
            Objects.requireNonNull(name, "name");
        }
    }
}
