package dev.plugboard.router.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token counts a provider reported for one call.
 *
 * @param promptTokens tokens read
 * @param completionTokens tokens written
 * @param cachedTokens prompt tokens the provider served from its own cache
 * @param reported whether the provider reported them (false: zeros, nothing known)
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, boolean reported) {

    /** Nothing reported. */
    public static final Usage NONE = new Usage(0, 0, 0, false);

    /** Reads an OpenAI {@code usage} object; {@link #NONE} when it is missing or not an object. */
    public static Usage of(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return NONE;
        }
        return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0), true);
    }

    /** The sum of two calls' usage. */
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                cachedTokens + other.cachedTokens, reported || other.reported);
    }
}
