package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.console.api.HostApi;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A tool's result as the tester shows it: each content item by its type (text, image, audio, resource
 * link, embedded resource), structured content beside the tool's output schema, or the host's problem.
 *
 * @param problem why the call failed (a problem document's detail), or empty
 * @param error whether the tool reported an error ({@code isError})
 * @param items the content items
 * @param structured the structured content as indented JSON, or empty
 * @param outputSchema the tool's output schema as indented JSON, or empty
 */
public record ResultView(String problem, boolean error, List<Item> items, String structured, String outputSchema) {

    private static final Pattern MEDIA = Pattern.compile("(image|audio)/[A-Za-z0-9.+-]{1,64}");

    /** The view of a call's answer. */
    static ResultView of(JsonNode result, JsonNode outputSchema) {
        List<Item> items = new ArrayList<>();
        result.path("content").forEach(c -> items.add(Item.of(c)));
        return new ResultView("", result.path("isError").asBoolean(false), items,
                result.has("structuredContent") ? Json.pretty(result.get("structuredContent")) : "",
                outputSchema == null || outputSchema.isMissingNode() || outputSchema.isNull() ? ""
                        : Json.pretty(outputSchema));
    }

    /** A failed call. */
    static ResultView failed(String problem) {
        return new ResultView(problem, true, List.of(), "", "");
    }

    /**
     * One content item.
     *
     * @param type {@code text}, {@code image}, {@code audio}, {@code resource_link}, {@code resource}, {@code binary}
     *     (a blob of resource contents that is neither image nor audio) or another
     * @param text the text (of a text item or a text resource), or the item as JSON when the type is unknown
     * @param dataUrl a {@code data:} URL for an image or audio item (its MIME type checked), or empty
     * @param uri a resource's URI, or empty
     * @param mimeType the MIME type, or empty
     */
    public record Item(String type, String text, String dataUrl, String uri, String mimeType) {

        static Item of(JsonNode c) {
            String type = c.path("type").asText("");
            String mime = c.path("mimeType").asText("");
            return switch (type) {
                case "text" -> new Item(type, c.path("text").asText(""), "", "", "");
                case "image", "audio" -> MEDIA.matcher(mime).matches() && mime.startsWith(type)
                        ? new Item(type, "", "data:" + mime + ";base64," + c.path("data").asText(""), "", mime)
                        : new Item("other", Json.pretty(c), "", "", mime);
                case "resource_link" -> new Item(type, c.path("name").asText(c.path("uri").asText()), "",
                        c.path("uri").asText(""), mime);
                case "resource" -> new Item(type, c.path("resource").path("text").asText(
                        c.path("resource").has("blob") ? "(binary, " + c.path("resource").path("blob").asText().length()
                                + " Base64 characters)" : ""), "", c.path("resource").path("uri").asText(""),
                        c.path("resource").path("mimeType").asText(""));
                default -> new Item("other", Json.pretty(c), "", "", mime);
            };
        }

        /** The console page of the resource a link or embedded resource names. */
        public String resourcePage() {
            return Console.ROOT + "/resources?uri=" + HostApi.query(uri);
        }

        /**
         * One entry of a resource's contents ({@code uri}, {@code mimeType}, and {@code text} or {@code blob}):
         * text as text, an image or audio blob as a {@code data:} URL (its MIME type checked), another blob by
         * its size.
         */
        static Item ofContents(JsonNode c) {
            String uri = c.path("uri").asText("");
            String mime = c.path("mimeType").asText("");
            if (c.has("text")) {
                return new Item("text", c.path("text").asText(""), "", uri, mime);
            }
            String blob = c.path("blob").asText("");
            for (String media : new String[] {"image", "audio"}) {
                if (mime.startsWith(media + "/") && MEDIA.matcher(mime).matches()) {
                    return new Item(media, "", "data:" + mime + ";base64," + blob, uri, mime);
                }
            }
            return new Item("binary", "(binary, " + (blob.length() / 4 * 3) + " bytes at most)", "", uri, mime);
        }
    }
}
