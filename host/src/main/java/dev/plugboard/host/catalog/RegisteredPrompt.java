package dev.plugboard.host.catalog;

import dev.plugboard.host.protocol.prompts.PromptDescriptor;
import java.util.Map;
import java.util.Objects;

/**
 * A prompt.
 *
 * @param descriptor what {@code prompts/list} shows
 * @param handler what renders it
 * @param completions completers of its arguments, by argument name
 * @param provider where it comes from
 */
public record RegisteredPrompt(PromptDescriptor descriptor, PromptHandler handler,
        Map<String, CompletionHandler> completions, Provider provider) implements CatalogEntry {

    /** Rejects nulls and copies the completers. */
    public RegisteredPrompt {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(provider, "provider");
        completions = Map.copyOf(completions);
    }

    @Override
    public String key() {
        return descriptor.name();
    }
}
