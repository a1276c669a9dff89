package dev.plugboard.host.protocol.content;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.ResourceContents;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.util.Base64;

/**
 * Reads content blocks sent by a client (in sampling results) into the plugin API's types.
 */
public final class ContentDecoder {

    private ContentDecoder() {
    }

    /**
     * One content block.
     *
     * @throws McpException with invalid params when the block is malformed
     */
    public static Content decode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw McpException.invalidParams("a content block must be an object");
        }
        String type = node.path("type").asText("");
        try {
            return switch (type) {
                case "text" -> Content.text(required(node, "text"));
                case "image" -> Content.image(Base64.getDecoder().decode(required(node, "data")), required(node, "mimeType"));
                case "audio" -> Content.audio(Base64.getDecoder().decode(required(node, "data")), required(node, "mimeType"));
                case "resource_link" -> Content.link(required(node, "uri"), required(node, "name"));
                case "resource" -> Content.embed(resource(node.get("resource")));
                default -> throw McpException.invalidParams("unknown content type '" + type + "'");
            };
        } catch (IllegalArgumentException e) {
            throw McpException.invalidParams("malformed " + type + " content: " + e.getMessage());
        }
    }

    private static ResourceContents resource(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw McpException.invalidParams("an embedded resource needs a \"resource\" object");
        }
        String uri = required(node, "uri");
        String mime = node.hasNonNull("mimeType") ? node.get("mimeType").asText() : null;
        if (node.has("text")) {
            return ResourceContents.text(uri, mime, node.get("text").asText());
        }
        return ResourceContents.blob(uri, mime, Base64.getDecoder().decode(required(node, "blob")));
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw McpException.invalidParams("\"" + field + "\" must be a string");
        }
        return value.asText();
    }
}
