package dev.plugboard.host.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaException;
import com.networknt.schema.regex.RegularExpression;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fast "this value certainly matches" for the plain schemas tools mostly have (the ones Plugboard
 * derives from method parameters): types, properties, required, closed objects, items, enums of
 * scalars, lengths, bounds, unique items and patterns. It only ever accepts: a value it is not sure of, or any value of a
 * schema with another keyword, goes to the full validator, which also writes every violation. So a
 * matching call costs no copy of the value and no general evaluation.
 */
final class QuickAccept {

    /** Keywords that only describe; they never make a value fail. */
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples",
            "$comment", "deprecated", "readOnly", "writeOnly", "format", "contentEncoding", "contentMediaType");
    private static final Set<String> CHECKED = Set.of("type", "properties", "required", "additionalProperties",
            "items", "enum", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "uniqueItems",
            "pattern");
    private static final BoundedPatterns PATTERNS = new BoundedPatterns();
    private static final int MAX_DEPTH = 32;
    private static final QuickAccept ANY = new QuickAccept();

    private Set<String> types;
    private final Map<String, QuickAccept> properties = new HashMap<>();
    private final List<String> required = new ArrayList<>();
    private boolean closed;
    private QuickAccept additional;
    private QuickAccept items;
    private List<JsonNode> enumeration;
    private int minLength = -1;
    private int maxLength = -1;
    private BigDecimal minimum;
    private BigDecimal maximum;
    private int minItems = -1;
    private int maxItems = -1;
    private boolean uniqueItems;
    private RegularExpression pattern;

    private QuickAccept() {
    }

    /** The quick check of a schema, or null when the schema uses anything beyond the plain keywords. */
    static QuickAccept of(JsonNode schema) {
        return of(schema, 0);
    }

    private static QuickAccept of(JsonNode schema, int depth) {
        if (depth > MAX_DEPTH) {
            return null;
        }
        if (schema.isBoolean()) {
            return schema.booleanValue() ? new QuickAccept() : null;
        }
        if (!schema.isObject()) {
            return null;
        }
        QuickAccept quick = new QuickAccept();
        for (Map.Entry<String, JsonNode> entry : schema.properties()) {
            String keyword = entry.getKey();
            JsonNode rule = entry.getValue();
            if (ANNOTATIONS.contains(keyword)) {
                continue;
            }
            if (!CHECKED.contains(keyword) || !quick.read(keyword, rule, depth)) {
                return null;
            }
        }
        return quick;
    }

    private boolean read(String keyword, JsonNode rule, int depth) {
        switch (keyword) {
            case "type" -> {
                types = rule.isTextual() ? Set.of(rule.textValue()) : null;
                return types != null && Set.of("object", "array", "string", "integer", "number", "boolean", "null")
                        .containsAll(types);
            }
            case "properties" -> {
                if (!rule.isObject()) {
                    return false;
                }
                for (Map.Entry<String, JsonNode> p : rule.properties()) {
                    QuickAccept sub = of(p.getValue(), depth + 1);
                    if (sub == null) {
                        return false;
                    }
                    properties.put(p.getKey(), sub);
                }
                return true;
            }
            case "required" -> {
                for (JsonNode name : rule) {
                    if (!name.isTextual()) {
                        return false;
                    }
                    required.add(name.textValue());
                }
                return rule.isArray();
            }
            case "additionalProperties" -> {
                if (rule.isBoolean()) {
                    closed = !rule.booleanValue();
                    return true;
                }
                additional = of(rule, depth + 1);
                return additional != null;
            }
            case "items" -> {
                items = rule.isObject() ? of(rule, depth + 1) : null;
                return items != null;
            }
            case "enum" -> {
                enumeration = new ArrayList<>();
                for (JsonNode value : rule) {
                    if (!(value.isTextual() || value.isBoolean() || value.isNull())) {
                        return false;
                    }
                    enumeration.add(value);
                }
                return rule.isArray();
            }
            case "minLength", "maxLength", "minItems", "maxItems" -> {
                if (!rule.canConvertToInt() || !rule.isIntegralNumber()) {
                    return false;
                }
                int n = rule.intValue();
                switch (keyword) {
                    case "minLength" -> minLength = n;
                    case "maxLength" -> maxLength = n;
                    case "minItems" -> minItems = n;
                    default -> maxItems = n;
                }
                return n >= 0;
            }
            case "uniqueItems" -> {
                uniqueItems = rule.isBoolean() && rule.booleanValue();
                return rule.isBoolean();
            }
            case "pattern" -> {
                pattern = rule.isTextual() ? PATTERNS.getRegularExpression(rule.textValue()) : null;
                return pattern != null;
            }
            case "minimum", "maximum" -> {
                if (!rule.isNumber() || !isFinite(rule)) {
                    return false;
                }
                if (keyword.equals("minimum")) {
                    minimum = rule.decimalValue();
                } else {
                    maximum = rule.decimalValue();
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** True only when the value certainly matches the schema. */
    boolean accepts(JsonNode value) {
        if (types != null && !typeMatches(value)) {
            return false;
        }
        if (enumeration != null && !enumeration.contains(value)) {
            return false;
        }
        if (value.isObject()) {
            return acceptsObject(value);
        }
        if (value.isArray()) {
            int size = value.size();
            if (size < minItems || (maxItems >= 0 && size > maxItems)) {
                return false;
            }
            QuickAccept each = items != null ? items : ANY; // ANY still refuses numbers out of range
            for (JsonNode item : value) {
                if (!each.accepts(item)) {
                    return false;
                }
            }
            return !uniqueItems || distinctScalars(value);
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (minLength >= 0 || maxLength >= 0) {
                int length = text.codePointCount(0, text.length());
                if (length < minLength || (maxLength >= 0 && length > maxLength)) {
                    return false;
                }
            }
            return pattern == null || matches(text);
        }
        if (value.isNumber()) {
            if (!isFinite(value)) {
                return false;
            }
            if (minimum == null && maximum == null) {
                return true;
            }
            BigDecimal n = value.decimalValue();
            return (minimum == null || n.compareTo(minimum) >= 0) && (maximum == null || n.compareTo(maximum) <= 0);
        }
        return value.isBoolean() || value.isNull();
    }

    private boolean acceptsObject(JsonNode value) {
        for (String name : required) {
            if (!value.has(name)) {
                return false;
            }
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            QuickAccept sub = properties.get(field.getKey());
            if (sub == null) {
                sub = closed ? null : additional != null ? additional : ANY;
            }
            if (sub == null || !sub.accepts(field.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Integers written with a fraction (3.0) are left to the full check. */
    private boolean typeMatches(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> types.contains("object");
            case ARRAY -> types.contains("array");
            case STRING -> types.contains("string");
            case BOOLEAN -> types.contains("boolean");
            case NULL -> types.contains("null");
            case NUMBER -> types.contains("number") || value.isIntegralNumber() && types.contains("integer");
            default -> false;
        };
    }

    /** Distinct strings, booleans and nulls; numbers and containers (1 equals 1.0 in JSON Schema) are left to the full check. */
    private static boolean distinctScalars(JsonNode array) {
        Set<JsonNode> seen = new HashSet<>();
        for (JsonNode item : array) {
            if (!(item.isTextual() || item.isBoolean() || item.isNull()) || !seen.add(item)) {
                return false;
            }
        }
        return true;
    }

    private boolean matches(String text) {
        try {
            return pattern.matches(text);
        } catch (SchemaException e) {
            return false; // too costly here: the full check decides, and says so
        }
    }

    private static boolean isFinite(JsonNode number) {
        return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
    }
}
