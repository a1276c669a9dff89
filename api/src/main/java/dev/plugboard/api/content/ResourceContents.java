package dev.plugboard.api.content;

/**
 * The contents of a resource: text or binary.
 */
public sealed interface ResourceContents permits TextResourceContents, BlobResourceContents {

    /** The URI of the resource these contents belong to; never null. */
    String uri();

    /** The media type, or null when unknown. */
    String mimeType();

    /** Text contents. */
    static TextResourceContents text(String uri, String mimeType, String text) {
        return new TextResourceContents(uri, mimeType, text);
    }

    /** Binary contents. */
    static BlobResourceContents blob(String uri, String mimeType, byte[] data) {
        return new BlobResourceContents(uri, mimeType, data);
    }
}
