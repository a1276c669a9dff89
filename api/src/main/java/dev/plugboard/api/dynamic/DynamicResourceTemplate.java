package dev.plugboard.api.dynamic;

import java.util.Objects;

/**
 * A resource template defined at run time: every URI its RFC 6570 template matches is read by its
 * handler (a fixed resource of the same URI is read first).
 *
 * @param uriTemplate the URI template (level 1 to 3 expressions such as {@code {id}}); unique in the catalogue
 * @param name its name, shown in listings
 * @param title a human-readable title, or null
 * @param description what its resources hold, or null
 * @param mimeType their media type, or null
 * @param handler what reads a matching URI
 * @param completion what proposes values for its variables, or null for none
 * @since 1.1
 */
public record DynamicResourceTemplate(String uriTemplate, String name, String title, String description,
        String mimeType, DynamicResourceHandler handler, DynamicCompletionHandler completion) {

    /** Checks that the required parts are there. */
    public DynamicResourceTemplate {
        Objects.requireNonNull(uriTemplate, "uriTemplate");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
    }
}
