package dev.plugboard.host.protocol.content;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.content.Annotations;
import dev.plugboard.api.content.AudioContent;
import dev.plugboard.api.content.BlobResourceContents;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.EmbeddedResource;
import dev.plugboard.api.content.ImageContent;
import dev.plugboard.api.content.ResourceContents;
import dev.plugboard.api.content.ResourceLink;
import dev.plugboard.api.content.TextContent;
import dev.plugboard.api.content.TextResourceContents;
import java.util.Base64;
import java.util.Locale;

/**
 * Turns the plugin API's content types into MCP's wire form.
 */
public final class ContentEncoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ContentEncoder() {
    }

    /** A text block. */
    public static ObjectNode text(String text) {
        return NODES.objectNode().put("type", "text").put("text", text);
    }

    /** One content block in wire form. */
    public static ObjectNode encode(Content content) {
        ObjectNode node = switch (content) {
            case TextContent t -> text(t.text());
            case ImageContent i -> binary("image", i.data(), i.mimeType());
            case AudioContent a -> binary("audio", a.data(), a.mimeType());
            case ResourceLink l -> link(l);
            case EmbeddedResource e -> {
                ObjectNode n = NODES.objectNode().put("type", "resource");
                n.set("resource", encode(e.resource()));
                yield n;
            }
        };
        if (content.annotations() != null) {
            node.set("annotations", encode(content.annotations()));
        }
        return node;
    }

    /** A resource's contents in wire form. */
    public static ObjectNode encode(ResourceContents contents) {
        ObjectNode n = NODES.objectNode().put("uri", contents.uri());
        if (contents.mimeType() != null) {
            n.put("mimeType", contents.mimeType());
        }
        switch (contents) {
            case TextResourceContents t -> n.put("text", t.text());
            case BlobResourceContents b -> n.put("blob", Base64.getEncoder().encodeToString(b.data()));
        }
        return n;
    }

    private static ObjectNode binary(String type, byte[] data, String mimeType) {
        return NODES.objectNode().put("type", type)
                .put("data", Base64.getEncoder().encodeToString(data))
                .put("mimeType", mimeType);
    }

    private static ObjectNode link(ResourceLink l) {
        ObjectNode n = NODES.objectNode().put("type", "resource_link").put("uri", l.uri()).put("name", l.name());
        putIfPresent(n, "title", l.title());
        putIfPresent(n, "description", l.description());
        putIfPresent(n, "mimeType", l.mimeType());
        if (l.size() != null) {
            n.put("size", l.size());
        }
        return n;
    }

    private static ObjectNode encode(Annotations a) {
        ObjectNode n = NODES.objectNode();
        if (a.audience() != null && !a.audience().isEmpty()) {
            var audience = n.putArray("audience");
            a.audience().forEach(r -> audience.add(r.name().toLowerCase(Locale.ROOT)));
        }
        if (a.priority() != null) {
            n.put("priority", a.priority());
        }
        if (a.lastModified() != null) {
            n.put("lastModified", a.lastModified().toString());
        }
        return n;
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
