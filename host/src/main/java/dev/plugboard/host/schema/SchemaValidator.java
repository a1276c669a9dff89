package dev.plugboard.host.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.SchemaException;
import com.networknt.schema.ValidationLimitExceededException;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a JSON value against a JSON Schema, reporting every violation, in plain words, with the path
 * of the value at fault.
 *
 * <p>The full JSON Schema 2020-12 ({@code $ref} and {@code $defs}, {@code oneOf}/{@code anyOf},
 * {@code if}/{@code then}/{@code else}, {@code patternProperties}, {@code unevaluatedProperties} and
 * the rest), or the draft a schema names in {@code $schema} (draft 4, 6, 7, 2019-09). {@code format}
 * is an annotation, not checked, as 2020-12 defines it. Schemas are compiled once and cached for
 * all validators; values of plain schemas that match are accepted without the library. Nothing
 * is fetched: a {@code $ref} outside the schema does not resolve, and such a schema is logged once and
 * not checked. Work is bounded: evaluation steps and depth per value, and each regular-expression match.
 * Thread-safe.
 */
public final class SchemaValidator {

    private static final int MAX_VIOLATIONS = 20;
    private static final int MAX_SHOWN_VALUE = 100;

    /** The prepared schemas, shared by every validator (the local tools' and the proxy's). */
    private static final CompiledSchemas SCHEMAS = new CompiledSchemas();

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
        if (schema == null || !(schema.isObject() || schema.isBoolean())) {
            return List.of();
        }
        SchemaLibrary.start();
        CompiledSchemas.Compiled compiled = SCHEMAS.get(schema);
        if (compiled.quick() != null && compiled.quick().accepts(value)) {
            return List.of();
        }
        CompiledSchemas.Full full = compiled.full();
        if (full.schema() == null) {
            return List.of();
        }
        JsonTrees.Copy copy = JsonTrees.copy(value);
        ExecutionContext context = SchemaLibrary.newContext();
        List<Error> errors;
        try {
            errors = BoundedPatterns.metered(() -> full.schema().validate(context, copy.value(), OutputFormat.DEFAULT));
        } catch (ValidationLimitExceededException | BoundedPatterns.TooCostly | StackOverflowError e) {
            return List.of(new Violation("", "are too costly to check against the tool's input schema"));
        } catch (SchemaException e) {
            compiled.disable(CompiledSchemas.reason(e));
            return List.of();
        }
        if (context.isEvaluationAborted()) {
            return List.of(new Violation("", "are too costly to check against the tool's input schema"));
        }
        if (errors.isEmpty() && copy.nonFinite().isEmpty()) {
            return List.of();
        }
        return describe(errors, copy.nonFinite(), full.root());
    }

    private static List<Violation> describe(List<Error> errors, List<List<Object>> nonFinite,
            tools.jackson.databind.JsonNode root) {
        List<Violation> out = new ArrayList<>();
        Map<String, Set<String>> integerAt = new LinkedHashMap<>();
        nonFinite.forEach(place -> integerAt.put(path(place), new HashSet<>()));
        Map<String, List<String>> anyOfs = new LinkedHashMap<>();
        for (Error error : errors) {
            String at = path(error.getInstanceLocation());
            if (integerAt.containsKey(at)) {
                // The placeholder of a number out of range: say that, not what the placeholder broke.
                if ("type".equals(error.getKeyword()) && mentionsInteger(error.getSchemaNode())) {
                    integerAt.get(at).add("integer");
                }
                continue;
            }
            NodePath evaluation = error.getEvaluationPath();
            int combinator = outermostBranch(evaluation);
            if (combinator >= 0 && "oneOf".equals(evaluation.getElement(combinator))) {
                continue; // the oneOf's own error says it
            }
            if (combinator >= 0) {
                anyOfs.computeIfAbsent(prefix(evaluation, combinator), k -> new ArrayList<>()).add(at);
                continue;
            }
            out.add(describe(error, at, root));
        }
        anyOfs.values().forEach(paths ->
                out.add(new Violation(commonPrefix(paths), "must match at least one of the allowed schemas")));
        integerAt.forEach((at, kind) -> out.add(new Violation(at,
                "must be " + (kind.isEmpty() ? "a number" : "an integer") + " within range")));
        return out.size() > MAX_VIOLATIONS ? List.copyOf(out.subList(0, MAX_VIOLATIONS)) : out;
    }

    private static Violation describe(Error error, String at, tools.jackson.databind.JsonNode root) {
        tools.jackson.databind.JsonNode rule = error.getSchemaNode();
        tools.jackson.databind.JsonNode value = error.getInstanceNode();
        String property = error.getProperty();
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        return switch (keyword) {
            case "type" -> new Violation(at, "must be " + describeType(rule) + ", not " + jsonType(value));
            case "enum" -> new Violation(at, "must be one of " + shown(rule) + ", not " + shown(value));
            case "const" -> new Violation(at, "must be " + shown(rule));
            case "required" -> new Violation(join(at, property), "is required");
            case "dependentRequired", "dependencies" -> new Violation(at,
                    "must have " + argument(error, 0) + " when it has " + property);
            case "additionalProperties", "unevaluatedProperties" -> new Violation(join(at, property),
                    "is not a known " + (at.isEmpty() ? "argument" : "property") + knownNames(error, root));
            case "propertyNames" -> new Violation(join(at, property), "is not an allowed name");
            case "false" -> new Violation(at, "is not allowed");
            case "items", "additionalItems", "unevaluatedItems", "prefixItems" -> error.getIndex() == null
                    ? new Violation(at, "is not allowed")
                    : new Violation(at + "[" + error.getIndex() + "]", "is not allowed");
            case "minItems" -> new Violation(at, "must have at least " + rule + " items");
            case "maxItems" -> new Violation(at, "must have at most " + rule + " items");
            case "uniqueItems" -> new Violation(at, "must not repeat " + shown(firstRepeat(value)));
            case "contains", "minContains" -> new Violation(at, "must contain enough items that match");
            case "maxContains" -> new Violation(at, "must contain at most " + rule + " items that match");
            case "minProperties" -> new Violation(at, "must have at least " + rule + " properties");
            case "maxProperties" -> new Violation(at, "must have at most " + rule + " properties");
            case "minLength" -> new Violation(at, "must be at least " + rule + " characters long");
            case "maxLength" -> new Violation(at, "must be at most " + rule + " characters long");
            case "pattern" -> new Violation(at, "must match the pattern " + shownText(rule));
            case "minimum" -> new Violation(at, "must be at least " + rule);
            case "maximum" -> new Violation(at, "must be at most " + rule);
            case "exclusiveMinimum" -> new Violation(at, "must be greater than " + rule);
            case "exclusiveMaximum" -> new Violation(at, "must be less than " + rule);
            case "multipleOf" -> new Violation(at, "must be a multiple of " + rule);
            case "oneOf" -> new Violation(at, "must match exactly one of the allowed schemas, matches "
                    + argument(error, 0));
            case "not" -> new Violation(at, "must not match " + shown(rule));
            default -> new Violation(at, "does not satisfy the schema's '" + keyword + "' rule");
        };
    }

    /** The index of the outermost {@code anyOf} or {@code oneOf} whose branch reported the error, or -1. */
    private static int outermostBranch(NodePath evaluation) {
        int count = evaluation.getNameCount();
        for (int i = 0; i + 1 < count; i++) {
            Object step = evaluation.getElement(i);
            if (("anyOf".equals(step) || "oneOf".equals(step)) && evaluation.getElement(i + 1) instanceof Integer) {
                return i;
            }
        }
        return -1;
    }

    private static String prefix(NodePath evaluation, int end) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i <= end; i++) {
            b.append('/').append(evaluation.getElement(i));
        }
        return b.toString();
    }

    private static String commonPrefix(List<String> paths) {
        String common = paths.getFirst();
        for (String p : paths) {
            int n = 0;
            while (n < common.length() && n < p.length() && common.charAt(n) == p.charAt(n)) {
                n++;
            }
            common = common.substring(0, n);
        }
        // Cut back to a whole step: the end of a name or an index.
        for (String p : paths) {
            if (p.length() > common.length() && !(p.charAt(common.length()) == '.'
                    || p.charAt(common.length()) == '[')) {
                int cut = Math.max(common.lastIndexOf('.'), common.lastIndexOf('['));
                common = cut < 0 ? "" : common.substring(0, cut);
                break;
            }
        }
        return common;
    }

    private static String path(NodePath location) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            append(b, location.getElement(i));
        }
        return b.toString();
    }

    private static String path(List<Object> steps) {
        StringBuilder b = new StringBuilder();
        steps.forEach(step -> append(b, step));
        return b.toString();
    }

    private static void append(StringBuilder b, Object step) {
        if (step instanceof Integer index) {
            b.append('[').append(index).append(']');
        } else {
            if (!b.isEmpty()) {
                b.append('.');
            }
            b.append(step);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? String.valueOf(name) : path + "." + name;
    }

    private static String argument(Error error, int index) {
        Object[] arguments = error.getArguments();
        return arguments != null && arguments.length > index ? String.valueOf(arguments[index]) : "";
    }

    /** "; expected one of a, b" from the {@code properties} beside the rule, when the schema is at hand. */
    private static String knownNames(Error error, tools.jackson.databind.JsonNode root) {
        NodePath fragment = error.getSchemaLocation() == null ? null : error.getSchemaLocation().getFragment();
        if (root == null || fragment == null || fragment.getNameCount() == 0) {
            return "";
        }
        tools.jackson.databind.JsonNode owner = root;
        for (int i = 0; i < fragment.getNameCount() - 1 && owner != null; i++) {
            Object step = fragment.getElement(i);
            owner = step instanceof Integer index ? owner.get(index) : owner.get(String.valueOf(step));
        }
        tools.jackson.databind.JsonNode properties = owner == null ? null : owner.get("properties");
        if (properties == null || !properties.isObject() || properties.isEmpty()) {
            return "";
        }
        return "; expected one of " + String.join(", ", properties.propertyNames());
    }

    private static boolean mentionsInteger(tools.jackson.databind.JsonNode type) {
        if (type == null) {
            return false;
        }
        if (type.isArray()) {
            for (tools.jackson.databind.JsonNode t : type) {
                if ("integer".equals(t.asString())) {
                    return true;
                }
            }
            return false;
        }
        return "integer".equals(type.asString());
    }

    private static tools.jackson.databind.JsonNode firstRepeat(tools.jackson.databind.JsonNode array) {
        Set<tools.jackson.databind.JsonNode> seen = new HashSet<>();
        if (array != null) {
            for (tools.jackson.databind.JsonNode item : array) {
                if (!seen.add(item)) {
                    return item;
                }
            }
        }
        return array;
    }

    private static String describeType(tools.jackson.databind.JsonNode type) {
        if (type == null) {
            return "another type";
        }
        if (!type.isArray()) {
            return article(type.asString());
        }
        List<String> names = new ArrayList<>();
        type.forEach(t -> names.add(article(t.asString())));
        return String.join(" or ", names);
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "array", "integer" -> "an " + type;
            case "null" -> "null";
            default -> "a " + type;
        };
    }

    private static String jsonType(tools.jackson.databind.JsonNode value) {
        if (value == null) {
            return "missing";
        }
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

    /** The value as JSON, cut short when long: messages echo what was sent, not all of it. */
    private static String shown(tools.jackson.databind.JsonNode value) {
        String json = String.valueOf(value);
        return json.length() <= MAX_SHOWN_VALUE ? json : json.substring(0, MAX_SHOWN_VALUE) + "…";
    }

    private static String shownText(tools.jackson.databind.JsonNode value) {
        String text = value == null ? "" : value.asString();
        return text.length() <= MAX_SHOWN_VALUE ? text : text.substring(0, MAX_SHOWN_VALUE) + "…";
    }
}
