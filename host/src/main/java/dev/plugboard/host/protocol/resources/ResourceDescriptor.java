package dev.plugboard.host.protocol.resources;

import java.util.Objects;

/**
 * A resource as {@code resources/list} describes it.
 *
 * @param uri the resource's URI
 * @param name its name
 * @param title a human-readable title, or null
 * @param description what it holds, or null
 * @param mimeType its media type, or null
 */
public record ResourceDescriptor(String uri, String name, String title, String description, String mimeType) {

    /** Rejects a null URI or name. */
    public ResourceDescriptor {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(name, "name");
    }
}
