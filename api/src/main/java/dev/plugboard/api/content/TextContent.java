package dev.plugboard.api.content;

import java.util.Objects;

/**
 * Text content.
 *
 * @param text the text; never null
 * @param annotations hints, or null
 */
public record TextContent(String text, Annotations annotations) implements Content {

    /** Rejects a null text. */
    public TextContent {
        Objects.requireNonNull(text, "text");
    }
}
