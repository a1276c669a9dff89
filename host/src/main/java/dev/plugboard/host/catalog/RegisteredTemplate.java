package dev.plugboard.host.catalog;

import dev.plugboard.host.protocol.resources.TemplateDescriptor;
import java.util.Map;
import java.util.Objects;

/**
 * A resource template: every URI it matches is read by its handler.
 *
 * @param descriptor what {@code resources/templates/list} shows
 * @param template the parsed template
 * @param handler what reads a matching URI
 * @param completions completers of its variables, by variable name
 * @param provider where it comes from
 */
public record RegisteredTemplate(TemplateDescriptor descriptor, UriTemplate template, ResourceHandler handler,
        Map<String, CompletionHandler> completions, Provider provider) implements CatalogEntry {

    /** Rejects nulls and copies the completers. */
    public RegisteredTemplate {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(provider, "provider");
        completions = Map.copyOf(completions);
    }

    @Override
    public String key() {
        return descriptor.uriTemplate();
    }
}
