package dev.plugboard.plugins.essentials;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict JSON reading (RFC 8259: no duplicate keys, no trailing text, at most 500 levels of nesting)
 * and writing with a chosen indentation, on the Jackson the host exports to bundles. Numbers keep
 * their exact value and scale; errors are plain sentences with the line and column.
 */
final class Json {

    private static final int MAX_DEPTH = 500;
    private static final Pattern UNEXPECTED_CHARACTER = Pattern.compile("^Unexpected character \\('(.)'");
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*)'");

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private Json() {
    }

    /**
     * Parses a JSON text.
     *
     * @throws IllegalArgumentException naming the first error, its line and its column
     */
    static JsonNode parse(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException(reason(e) + where, null);
        }
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("unexpected end of input at line 1, column 1");
        }
        return node;
    }

    /** Writes a value as JSON; indent 0 writes it on one line, else that many spaces per level. */
    static String write(JsonNode value, int indent) {
        try {
            if (indent == 0) {
                return MAPPER.writeValueAsString(value);
            }
            DefaultIndenter indenter = new DefaultIndenter(" ".repeat(indent), "\n");
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""));
            printer.indentObjectsWith(indenter);
            printer.indentArraysWith(indenter);
            return MAPPER.writer(printer).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed document could not be written", e);
        }
    }

    /** What is wrong, in words of the JSON text rather than of the parser. */
    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            return "nested more than " + MAX_DEPTH + " levels deep";
        }
        Matcher duplicate = DUPLICATE.matcher(message);
        if (duplicate.find()) {
            return "duplicate key \"" + duplicate.group(1) + "\"";
        }
        if (message.startsWith("Unexpected end-of-input")) {
            return "unexpected end of input";
        }
        if (message.startsWith("Trailing token")) {
            return "unexpected text after the value";
        }
        if (message.startsWith("Unrecognized token")) {
            return "unexpected characters";
        }
        if (message.contains("was expecting double-quote to start field name")) {
            return "expected a string key";
        }
        if (message.contains("was expecting a colon")) {
            return "expected ':'";
        }
        if (message.contains("was expecting comma to separate Array entries")) {
            return "expected ']'";
        }
        if (message.contains("was expecting comma to separate Object entries")) {
            return "expected '}'";
        }
        Matcher character = UNEXPECTED_CHARACTER.matcher(message);
        if (character.find()) {
            return "unexpected character '" + character.group(1) + "'";
        }
        return "not valid JSON";
    }
}
