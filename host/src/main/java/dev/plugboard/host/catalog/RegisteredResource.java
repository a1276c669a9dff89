package dev.plugboard.host.catalog;

import dev.plugboard.host.protocol.resources.ResourceDescriptor;
import java.util.Objects;

/**
 * A resource at a fixed URI.
 *
 * @param descriptor what {@code resources/list} shows
 * @param handler what reads it
 * @param provider where it comes from
 */
public record RegisteredResource(ResourceDescriptor descriptor, ResourceHandler handler, Provider provider)
        implements CatalogEntry {

    /** Rejects nulls. */
    public RegisteredResource {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(provider, "provider");
    }

    @Override
    public String key() {
        return descriptor.uri();
    }
}
