package dev.plugboard.api.content;

import java.util.Objects;

/**
 * Binary contents of a resource.
 *
 * @param uri the resource's URI; never null
 * @param mimeType its media type, or null
 * @param data the bytes (not base64); never null
 */
public record BlobResourceContents(String uri, String mimeType, byte[] data) implements ResourceContents {

    /** Rejects a null URI or data. */
    public BlobResourceContents {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(data, "data");
    }
}
