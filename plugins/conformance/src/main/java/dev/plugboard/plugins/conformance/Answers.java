package dev.plugboard.plugins.conformance;

import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.SamplingResult;
import dev.plugboard.api.content.AudioContent;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.EmbeddedResource;
import dev.plugboard.api.content.ImageContent;
import dev.plugboard.api.content.ResourceLink;
import dev.plugboard.api.content.TextContent;
import java.util.Locale;

/** Reads the client's answers the way the reference server echoes them. */
final class Answers {

    private Answers() {
    }

    /** The text the client's model generated, or a placeholder naming a non-text block. */
    static String text(SamplingResult result) {
        Content content = result.message().content();
        return switch (content) {
            case TextContent t -> t.text();
            case ImageContent i -> "[image " + i.mimeType() + "]";
            case AudioContent a -> "[audio " + a.mimeType() + "]";
            case ResourceLink l -> "[resource link " + l.uri() + "]";
            case EmbeddedResource r -> "[resource " + r.resource().uri() + "]";
        };
    }

    /** {@code action=<accept|decline|cancel>, content=<the form's values as JSON>}. */
    static String describe(ElicitResult result) {
        return "action=" + result.action().name().toLowerCase(Locale.ROOT) + ", content="
                + JsonText.write(result.content());
    }

    /** A field of an accepted form as text, or {@code "unknown"} when the user gave none. */
    static String field(ElicitResult result, String name) {
        Object value = result.content().get(name);
        return value == null ? "unknown" : value.toString();
    }
}
