package dev.plugboard.api.tool;

import dev.plugboard.api.content.Content;
import java.util.List;
import java.util.Objects;

/**
 * A tool result built explicitly: any mix of content blocks, optional structured content, and the
 * error flag. Return it from a tool method when a plain string or record is not enough (images,
 * audio, embedded resources, resource links, errors).
 *
 * @param content the content blocks, in order; never null
 * @param structured an object serialised as {@code structuredContent}, or null for none
 * @param error whether the result reports a failure of the tool
 */
public record ToolResult(List<Content> content, Object structured, boolean error) {

    /** Copies the content list and rejects nulls. */
    public ToolResult {
        content = List.copyOf(Objects.requireNonNull(content, "content"));
    }

    /** A successful result holding the given blocks. */
    public static ToolResult of(Content... content) {
        return new ToolResult(List.of(content), null, false);
    }

    /** A successful result holding one text block. */
    public static ToolResult text(String text) {
        return of(Content.text(text));
    }

    /** A failed result whose only block is the given message. */
    public static ToolResult error(String message) {
        return new ToolResult(List.of(Content.text(message)), null, true);
    }

    /**
     * A successful result with structured content; the host adds its JSON text as a text block for
     * clients that do not read structured content.
     */
    public static ToolResult structured(Object value) {
        return new ToolResult(List.of(), Objects.requireNonNull(value, "value"), false);
    }
}
