package dev.plugboard.api.content;

import java.util.Objects;

/**
 * An audio clip.
 *
 * @param data the encoded audio bytes (not base64); never null
 * @param mimeType its media type, such as {@code audio/wav}; never null
 * @param annotations hints, or null
 */
public record AudioContent(byte[] data, String mimeType, Annotations annotations) implements Content {

    /** Rejects nulls. */
    public AudioContent {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mimeType, "mimeType");
    }
}
