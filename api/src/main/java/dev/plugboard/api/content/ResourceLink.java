package dev.plugboard.api.content;

import java.util.Objects;

/**
 * A link to a resource the client may read or subscribe to.
 *
 * @param uri the resource's URI; never null
 * @param name its name; never null
 * @param title a human-readable title, or null
 * @param description what it holds, or null
 * @param mimeType its media type, or null
 * @param size its size in bytes, or null when unknown
 * @param annotations hints, or null
 */
public record ResourceLink(String uri, String name, String title, String description, String mimeType,
        Long size, Annotations annotations) implements Content {

    /** Rejects a null URI or name. */
    public ResourceLink {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(name, "name");
    }
}
