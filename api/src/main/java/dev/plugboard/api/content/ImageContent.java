package dev.plugboard.api.content;

import java.util.Objects;

/**
 * An image.
 *
 * @param data the encoded image bytes (not base64); never null
 * @param mimeType its media type, such as {@code image/png}; never null
 * @param annotations hints, or null
 */
public record ImageContent(byte[] data, String mimeType, Annotations annotations) implements Content {

    /** Rejects nulls. */
    public ImageContent {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mimeType, "mimeType");
    }
}
