package dev.plugboard.host.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a JSON value against a JSON Schema, reporting every violation with the path of the value
 * at fault.
 *
 * <p>Covers the assertions tools use: {@code type}, {@code enum}, {@code const}, {@code properties},
 * {@code required}, {@code additionalProperties}, {@code items}, {@code minItems}, {@code maxItems},
 * {@code uniqueItems}, {@code minLength}, {@code maxLength}, {@code pattern}, {@code minimum},
 * {@code maximum}, {@code exclusiveMinimum}, {@code exclusiveMaximum}, {@code multipleOf},
 * {@code allOf}, {@code anyOf}, {@code oneOf} and {@code not}. Other keywords (among them
 * {@code format}, an annotation by default in 2020-12) are ignored. Thread-safe.
 */
public final class SchemaValidator {

    private static final int MAX_VIOLATIONS = 20;

    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    /**
     * One reason a value does not match.
     *
     * @param path where the value sits, such as {@code units} or {@code items[2].name}; empty for the
     *     root
     * @param message why it does not match
     */
    public record Violation(String path, String message) {

        @Override
        public String toString() {
            return path.isEmpty() ? message : "'" + path + "' " + message;
        }
    }

    /** The violations of the value against the schema; empty when it matches. */
    public List<Violation> validate(JsonNode schema, JsonNode value) {
        List<Violation> out = new ArrayList<>();
        check(schema, value, "", out);
        return out.size() > MAX_VIOLATIONS ? out.subList(0, MAX_VIOLATIONS) : out;
    }

    private void check(JsonNode schema, JsonNode value, String path, List<Violation> out) {
        if (schema == null || !schema.isObject() || out.size() > MAX_VIOLATIONS) {
            if (schema != null && schema.isBoolean() && !schema.asBoolean()) {
                out.add(new Violation(path, "is not allowed"));
            }
            return;
        }
        JsonNode type = schema.get("type");
        if (value.isNumber() && !isFinite(value)) {
            // 1e999 is valid JSON but no number a tool can receive: it reads as infinity.
            boolean integer = type != null && (type.isArray() ? contains(type, TextNode.valueOf("integer"))
                    : "integer".equals(type.asText()));
            out.add(new Violation(path, "must be " + (integer ? "an integer" : "a number") + " within range"));
            return;
        }
        if (type != null && !typeMatches(type, value)) {
            out.add(new Violation(path, "must be " + describeType(type) + ", not " + jsonType(value)));
            return;
        }
        JsonNode enumeration = schema.get("enum");
        if (enumeration != null && enumeration.isArray() && !contains(enumeration, value)) {
            out.add(new Violation(path, "must be one of " + enumeration + ", not " + value));
        }
        JsonNode constant = schema.get("const");
        if (constant != null && !equal(constant, value)) {
            out.add(new Violation(path, "must be " + constant));
        }
        if (value.isObject()) {
            checkObject(schema, value, path, out);
        } else if (value.isArray()) {
            checkArray(schema, value, path, out);
        } else if (value.isTextual()) {
            checkString(schema, value.asText(), path, out);
        } else if (value.isNumber()) {
            checkNumber(schema, value.decimalValue(), path, out);
        }
        checkCombinators(schema, value, path, out);
    }

    private void checkObject(JsonNode schema, JsonNode value, String path, List<Violation> out) {
        JsonNode required = schema.get("required");
        if (required != null) {
            for (JsonNode name : required) {
                if (!value.has(name.asText())) {
                    out.add(new Violation(join(path, name.asText()), "is required"));
                }
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            JsonNode propertySchema = properties.get(field.getKey());
            String child = join(path, field.getKey());
            if (propertySchema != null) {
                check(propertySchema, field.getValue(), child, out);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                out.add(new Violation(child, "is not a known " + (path.isEmpty() ? "argument" : "property")
                        + (properties.isEmpty() ? "" : "; expected one of " + fieldNames(properties))));
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), child, out);
            }
        }
    }

    private void checkArray(JsonNode schema, JsonNode value, String path, List<Violation> out) {
        int size = value.size();
        if (schema.has("minItems") && size < schema.get("minItems").asInt()) {
            out.add(new Violation(path, "must have at least " + schema.get("minItems").asInt() + " items"));
        }
        if (schema.has("maxItems") && size > schema.get("maxItems").asInt()) {
            out.add(new Violation(path, "must have at most " + schema.get("maxItems").asInt() + " items"));
        }
        if (schema.path("uniqueItems").asBoolean(false)) {
            Set<JsonNode> seen = new HashSet<>();
            for (JsonNode item : value) {
                if (!seen.add(item)) {
                    out.add(new Violation(path, "must not repeat " + item));
                    break;
                }
            }
        }
        JsonNode items = schema.get("items");
        if (items != null) {
            for (int i = 0; i < size; i++) {
                check(items, value.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private void checkString(JsonNode schema, String text, String path, List<Violation> out) {
        int length = text.codePointCount(0, text.length());
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            out.add(new Violation(path, "must be at least " + schema.get("minLength").asInt() + " characters long"));
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            out.add(new Violation(path, "must be at most " + schema.get("maxLength").asInt() + " characters long"));
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && pattern.isTextual()) {
            Pattern compiled = compile(pattern.asText());
            if (compiled != null && !compiled.matcher(text).find()) {
                out.add(new Violation(path, "must match the pattern " + pattern.asText()));
            }
        }
    }

    private static void checkNumber(JsonNode schema, BigDecimal n, String path, List<Violation> out) {
        bound(schema, "minimum", n, path, out, c -> c >= 0, "at least ");
        bound(schema, "maximum", n, path, out, c -> c <= 0, "at most ");
        bound(schema, "exclusiveMinimum", n, path, out, c -> c > 0, "greater than ");
        bound(schema, "exclusiveMaximum", n, path, out, c -> c < 0, "less than ");
        JsonNode multipleOf = schema.get("multipleOf");
        if (multipleOf != null && multipleOf.isNumber() && multipleOf.decimalValue().signum() > 0
                && n.remainder(multipleOf.decimalValue()).signum() != 0) {
            out.add(new Violation(path, "must be a multiple of " + multipleOf));
        }
    }

    private static void bound(JsonNode schema, String keyword, BigDecimal n, String path, List<Violation> out,
            java.util.function.IntPredicate ok, String phrase) {
        JsonNode limit = schema.get(keyword);
        if (limit != null && limit.isNumber() && !ok.test(n.compareTo(limit.decimalValue()))) {
            out.add(new Violation(path, "must be " + phrase + limit));
        }
    }

    private void checkCombinators(JsonNode schema, JsonNode value, String path, List<Violation> out) {
        JsonNode allOf = schema.get("allOf");
        if (allOf != null) {
            for (JsonNode s : allOf) {
                check(s, value, path, out);
            }
        }
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf != null && anyOf.isArray()) {
            boolean any = false;
            for (JsonNode s : anyOf) {
                any |= validate(s, value).isEmpty();
            }
            if (!any) {
                out.add(new Violation(path, "must match at least one of the allowed schemas"));
            }
        }
        JsonNode oneOf = schema.get("oneOf");
        if (oneOf != null && oneOf.isArray()) {
            int matches = 0;
            for (JsonNode s : oneOf) {
                matches += validate(s, value).isEmpty() ? 1 : 0;
            }
            if (matches != 1) {
                out.add(new Violation(path, "must match exactly one of the allowed schemas, matches " + matches));
            }
        }
        JsonNode not = schema.get("not");
        if (not != null && validate(not, value).isEmpty()) {
            out.add(new Violation(path, "must not match " + not));
        }
    }

    private Pattern compile(String regex) {
        return patterns.computeIfAbsent(regex, r -> {
            try {
                return Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                return null;
            }
        });
    }

    private static boolean isFinite(JsonNode number) {
        return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t.asText(), value)) {
                    return true;
                }
            }
            return false;
        }
        return typeMatches(type.asText(), value);
    }

    private static boolean typeMatches(String type, JsonNode value) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber()
                    || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
            default -> true;
        };
    }

    private static String describeType(JsonNode type) {
        if (!type.isArray()) {
            return article(type.asText());
        }
        List<String> names = new ArrayList<>();
        type.forEach(t -> names.add(article(t.asText())));
        return String.join(" or ", names);
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "array", "integer" -> "an " + type;
            case "null" -> "null";
            default -> "a " + type;
        };
    }

    private static String jsonType(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
            case BINARY -> "binary data";
        };
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode candidate : array) {
            if (equal(candidate, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static List<String> fieldNames(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
