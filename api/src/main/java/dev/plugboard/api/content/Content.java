package dev.plugboard.api.content;

/**
 * One block of content in a tool result or a prompt message.
 */
public sealed interface Content
        permits TextContent, ImageContent, AudioContent, ResourceLink, EmbeddedResource {

    /** Hints for the client on how to use the block; null for none. */
    Annotations annotations();

    /** A block of text. */
    static TextContent text(String text) {
        return new TextContent(text, null);
    }

    /** An image, for example {@code image(png, "image/png")}. */
    static ImageContent image(byte[] data, String mimeType) {
        return new ImageContent(data, mimeType, null);
    }

    /** An audio clip, for example {@code audio(wav, "audio/wav")}. */
    static AudioContent audio(byte[] data, String mimeType) {
        return new AudioContent(data, mimeType, null);
    }

    /** A link to a resource that the client may read. */
    static ResourceLink link(String uri, String name) {
        return new ResourceLink(uri, name, null, null, null, null, null);
    }

    /** A resource's contents, embedded in the block. */
    static EmbeddedResource embed(ResourceContents contents) {
        return new EmbeddedResource(contents, null);
    }
}
