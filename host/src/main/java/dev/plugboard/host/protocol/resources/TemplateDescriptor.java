package dev.plugboard.host.protocol.resources;

import java.util.Objects;

/**
 * A resource template as {@code resources/templates/list} describes it.
 *
 * @param uriTemplate the RFC 6570 URI template
 * @param name its name
 * @param title a human-readable title, or null
 * @param description what its resources hold, or null
 * @param mimeType their media type, or null
 */
public record TemplateDescriptor(String uriTemplate, String name, String title, String description, String mimeType) {

    /** Rejects a null template or name. */
    public TemplateDescriptor {
        Objects.requireNonNull(uriTemplate, "uriTemplate");
        Objects.requireNonNull(name, "name");
    }
}
