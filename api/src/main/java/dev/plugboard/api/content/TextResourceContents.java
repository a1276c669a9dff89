package dev.plugboard.api.content;

import java.util.Objects;

/**
 * Text contents of a resource.
 *
 * @param uri the resource's URI; never null
 * @param mimeType its media type, or null
 * @param text the text; never null
 */
public record TextResourceContents(String uri, String mimeType, String text) implements ResourceContents {

    /** Rejects a null URI or text. */
    public TextResourceContents {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(text, "text");
    }
}
