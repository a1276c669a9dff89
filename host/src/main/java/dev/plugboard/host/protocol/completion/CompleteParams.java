package dev.plugboard.host.protocol.completion;

import java.util.Map;

/**
 * Parameters of {@code completion/complete}.
 *
 * @param ref what is completed: {@code ref/prompt} with a name or {@code ref/resource} with a URI template
 * @param argument the argument being typed and its partial value
 * @param context the other arguments already given, or null
 */
public record CompleteParams(Ref ref, Argument argument, Context context) {

    /**
     * The prompt or resource template.
     *
     * @param type {@code ref/prompt} or {@code ref/resource}
     * @param name the prompt's name
     * @param uri the URI template
     */
    public record Ref(String type, String name, String uri) {
    }

    /**
     * The argument being completed.
     *
     * @param name its name
     * @param value what the user typed so far
     */
    public record Argument(String name, String value) {
    }

    /**
     * Arguments already resolved.
     *
     * @param arguments by name
     */
    public record Context(Map<String, String> arguments) {
    }
}
