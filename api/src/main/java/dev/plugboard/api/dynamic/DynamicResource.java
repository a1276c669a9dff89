package dev.plugboard.api.dynamic;

import java.util.Objects;

/**
 * A resource at a fixed URI, defined at run time.
 *
 * @param uri the URI clients read it by; unique in the catalogue
 * @param name its name, shown in listings
 * @param title a human-readable title, or null
 * @param description what it holds, or null
 * @param mimeType its media type, or null
 * @param handler what reads it
 * @since 1.1
 */
public record DynamicResource(String uri, String name, String title, String description, String mimeType,
        DynamicResourceHandler handler) {

    /** Checks that the required parts are there. */
    public DynamicResource {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
    }
}
