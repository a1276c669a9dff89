package dev.plugboard.plugins.essentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.api.McpProvider;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;

/**
 * Text and JSON utilities.
 */
@Component(service = TextTools.class)
@McpProvider
public class TextTools {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}]*(?:['’][\\p{L}\\p{M}\\p{N}]+)*");
    /** A word for case changes: split at case humps (parseHTTPResponse), keeping marks and contractions. */
    private static final Pattern CASE_WORD = Pattern.compile(
            "\\p{Lu}?[\\p{Ll}\\p{Lo}\\p{Lm}\\p{M}\\p{N}]+(?:['’][\\p{L}\\p{M}\\p{N}]+)*"
            + "|\\p{Lu}+(?![\\p{Ll}])[\\p{M}]*|[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}]*");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+(?:\\s|$)");

    /** Letter cases that {@link #changeCase} produces. */
    public enum Case {
        /** ALL CAPITALS. */
        UPPER,
        /** all lower case. */
        LOWER,
        /** Every Word Capitalised. */
        TITLE,
        /** words_joined_by_underscores. */
        SNAKE,
        /** wordsJoinedWithCapitals. */
        CAMEL,
        /** words-joined-by-hyphens. */
        KEBAB
    }

    /**
     * Counts of a text.
     *
     * @param characters Unicode code points
     * @param words runs of letters and digits
     * @param lines lines (a final line without a newline counts)
     * @param sentences runs ending in . ! or ?
     */
    public record TextStats(int characters, int words, int lines, int sentences) {
    }

    @Tool(title = "Text statistics", description = "Counts the characters, words, lines and sentences of a text.",
            readOnly = true, idempotent = true, openWorld = false)
    public TextStats textStats(@Param(description = "The text to measure") String text) {
        int words = 0;
        for (Matcher m = WORD.matcher(text); m.find();) {
            words++;
        }
        int sentences = 0;
        for (Matcher m = SENTENCE_END.matcher(text); m.find();) {
            sentences++;
        }
        int lines = text.isEmpty() ? 0 : (int) text.chars().filter(c -> c == '\n').count()
                + (text.endsWith("\n") ? 0 : 1);
        return new TextStats(text.codePointCount(0, text.length()), words, lines, sentences);
    }

    @Tool(title = "Change case", description = "Rewrites a text in another letter case: UPPER, LOWER, TITLE, "
            + "SNAKE (snake_case), CAMEL (camelCase) or KEBAB (kebab-case).", readOnly = true, idempotent = true,
            openWorld = false)
    public String changeCase(@Param(description = "The text to rewrite") String text,
            @Param(description = "The letter case to produce") Case style) {
        List<String> words = new ArrayList<>();
        for (Matcher m = CASE_WORD.matcher(text); m.find();) {
            words.add(m.group().toLowerCase(Locale.ROOT));
        }
        List<String> bare = words.stream().map(w -> w.replaceAll("['’]", "")).toList();
        return switch (style) {
            case UPPER -> text.toUpperCase(Locale.ROOT);
            case LOWER -> text.toLowerCase(Locale.ROOT);
            case TITLE -> String.join(" ", words.stream().map(TextTools::capitalise).toList());
            case SNAKE -> String.join("_", bare);
            case KEBAB -> String.join("-", bare);
            case CAMEL -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < bare.size(); i++) {
                    sb.append(i == 0 ? bare.get(i) : capitalise(bare.get(i)));
                }
                yield sb.toString();
            }
        };
    }

    @Tool(title = "Format JSON", description = "Checks that a text is valid JSON and rewrites it indented "
            + "(or on one line with indent 0); reports the line and column of the first error otherwise.",
            readOnly = true, idempotent = true, openWorld = false)
    public String formatJson(@Param(description = "The JSON text") String json,
            @Param(description = "Spaces per indentation level; 0 writes one line", defaultValue = "2") int indent) {
        if (indent < 0 || indent > 8) {
            throw new ToolException("indent must be between 0 and 8");
        }
        return Json.write(parse(json), indent);
    }

    @Tool(title = "Query JSON", description = "Returns the part of a JSON document at a JSON Pointer "
            + "(RFC 6901), such as /items/0/name; the empty pointer returns the whole document.",
            readOnly = true, idempotent = true, openWorld = false)
    public String queryJson(@Param(description = "The JSON document") String json,
            @Param(description = "The JSON Pointer, such as /items/0/name") String pointer) {
        JsonNode node = parse(json);
        if (pointer.isEmpty()) {
            return Json.write(node, 2);
        }
        if (!pointer.startsWith("/")) {
            throw new ToolException("a JSON Pointer starts with '/', such as /items/0");
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            if (raw.matches(".*~([^01].*|$)")) {
                throw new ToolException("invalid escape in '" + raw + "': only ~0 and ~1 are allowed");
            }
            String token = raw.replace("~1", "/").replace("~0", "~");
            if (node.isObject()) {
                if (!node.has(token)) {
                    throw new ToolException("no member '" + token + "' at " + pointer);
                }
                node = node.get(token);
            } else if (node.isArray()) {
                if (!token.matches("0|[1-9][0-9]{0,8}")) {
                    throw new ToolException("'" + token + "' is not an array index");
                }
                int index = Integer.parseInt(token);
                if (index < 0 || index >= node.size()) {
                    throw new ToolException("index " + index + " is outside the array of " + node.size() + " items");
                }
                node = node.get(index);
            } else {
                throw new ToolException("cannot descend into a " + (node.isTextual() ? "string" : "value")
                        + " at '" + token + "'");
            }
        }
        return Json.write(node, 2);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new ToolException("invalid JSON: " + e.getMessage());
        }
    }

    private static String capitalise(String word) {
        if (word.isEmpty()) {
            return word;
        }
        int first = word.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(word, Character.charCount(first), word.length()).toString();
    }
}
