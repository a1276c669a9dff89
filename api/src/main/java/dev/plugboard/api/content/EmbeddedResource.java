package dev.plugboard.api.content;

import java.util.Objects;

/**
 * A resource's contents embedded in a result or message.
 *
 * @param resource the contents; never null
 * @param annotations hints, or null
 */
public record EmbeddedResource(ResourceContents resource, Annotations annotations) implements Content {

    /** Rejects null contents. */
    public EmbeddedResource {
        Objects.requireNonNull(resource, "resource");
    }
}
