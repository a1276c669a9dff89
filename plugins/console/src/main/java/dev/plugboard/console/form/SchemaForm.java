package dev.plugboard.console.form;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A form from a tool's input JSON Schema, and the arguments back from the submitted form. Only the shape is
 * read here: the values are checked by the host when the tool is called (the console does not validate a
 * second time), so a value the form cannot type (a number field holding letters) is sent as text and the
 * host's answer names it. Local {@code $ref}s ({@code #/$defs/...}, {@code #/definitions/...}) are followed;
 * what nests deeper than {@link #MAX_DEPTH} or refers to itself becomes a JSON field.
 */
public final class SchemaForm {

    /** Nesting past this becomes a JSON field. */
    static final int MAX_DEPTH = 6;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;

    private SchemaForm(JsonNode root) {
        this.root = root == null || root.isNull() ? JsonNodeFactory.instance.objectNode() : root;
    }

    /** The form of a tool's input schema. */
    public static SchemaForm of(JsonNode inputSchema) {
        return new SchemaForm(inputSchema);
    }

    /** The controls of the schema's top-level properties. */
    public List<Field> fields() {
        return properties(resolve(root, new HashSet<>()), "", 0, new HashSet<>());
    }

    /** The arguments object from a submitted form ({@code name -> values}). */
    public ObjectNode arguments(Map<String, List<String>> form) throws FormException {
        JsonNode value = read(root, "", form, 0, true, new HashSet<>());
        return value instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    /** The arguments from the raw JSON editor: an object, or nothing for an empty editor. */
    public ObjectNode rawArguments(String text) throws FormException {
        JsonNode value = json("arguments", text == null ? "" : text);
        if (value == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!(value instanceof ObjectNode o)) {
            throw new FormException("The arguments must be a JSON object");
        }
        return o;
    }

    private List<Field> properties(JsonNode schema, String name, int depth, Set<String> refs) {
        List<Field> fields = new ArrayList<>();
        Set<String> required = requiredOf(schema);
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            fields.add(field(p.getValue(), name + "/" + escape(p.getKey()), p.getKey(), required.contains(p.getKey()),
                    depth + 1, refs));
        }
        return fields;
    }

    private Field field(JsonNode raw, String name, String label, boolean required, int depth, Set<String> refs) {
        Set<String> seen = new HashSet<>(refs);
        JsonNode schema = resolve(raw, seen);
        String description = schema.path("description").asText(raw.path("description").asText(""));
        String value = schema.has("default") ? text(schema.get("default")) : "";
        if (schema == MissingRef.INSTANCE || depth > MAX_DEPTH) {
            return new Field(name, label, Field.Kind.JSON, required, description, value, List.of(), List.of());
        }
        List<JsonNode> branches = branches(schema);
        if (!branches.isEmpty()) {
            List<Field> children = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < branches.size(); i++) {
                JsonNode branch = resolve(branches.get(i), new HashSet<>(seen));
                String branchLabel = branch.path("title").asText(describeType(branch, i));
                labels.add(branchLabel);
                children.add(field(branches.get(i), name + "|" + i, branchLabel, true, depth + 1, seen));
            }
            return new Field(name, label, Field.Kind.CHOICE, required, description, "0", labels, children);
        }
        Field.Kind kind = kindOf(schema);
        return switch (kind) {
            case OBJECT -> new Field(name, label, kind, required, description, value, List.of(),
                    properties(schema, name, depth, seen));
            case ENUM -> new Field(name, label, kind, required, description, value, enumValues(schema), List.of());
            case LINES -> new Field(name, label, kind, required, description, lines(schema.get("default")), List.of(),
                    List.of());
            default -> new Field(name, label, kind, required, description, value, List.of(), List.of());
        };
    }

    private JsonNode read(JsonNode raw, String name, Map<String, List<String>> form, int depth, boolean required,
            Set<String> refs) throws FormException {
        Set<String> seen = new HashSet<>(refs);
        JsonNode schema = resolve(raw, seen);
        if (schema == MissingRef.INSTANCE || (depth > MAX_DEPTH)) {
            return json(name, first(form, name));
        }
        List<JsonNode> branches = branches(schema);
        if (!branches.isEmpty()) {
            int chosen;
            try {
                chosen = Integer.parseInt(first(form, name + "#"));
            } catch (NumberFormatException e) {
                return null;
            }
            if (chosen < 0 || chosen >= branches.size()) {
                throw new FormException("'" + label(name) + "': no such choice");
            }
            return read(branches.get(chosen), name + "|" + chosen, form, depth + 1, required, seen);
        }
        Field.Kind kind = kindOf(schema);
        String text = first(form, name);
        switch (kind) {
            case OBJECT -> {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                Set<String> requiredProps = requiredOf(schema);
                for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
                    JsonNode v = read(p.getValue(), name + "/" + escape(p.getKey()), form, depth + 1,
                            requiredProps.contains(p.getKey()), seen);
                    if (v != null) {
                        object.set(p.getKey(), v);
                    }
                }
                return object.isEmpty() && !required ? null : object;
            }
            case JSON -> {
                return json(name, text);
            }
            case LINES -> {
                if (text.isBlank()) {
                    return null;
                }
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                Field.Kind itemKind = kindOf(resolve(schema.path("items"), seen));
                for (String line : text.split("\\R")) {
                    if (!line.isBlank()) {
                        array.add(scalar(itemKind, line.strip()));
                    }
                }
                return array;
            }
            case ENUM -> {
                if (text.isEmpty()) {
                    return null;
                }
                List<JsonNode> values = enumNodes(schema);
                try {
                    return values.get(Integer.parseInt(text));
                } catch (NumberFormatException | IndexOutOfBoundsException e) {
                    throw new FormException("'" + label(name) + "': not one of the listed values");
                }
            }
            default -> {
                return text.isEmpty() ? null : scalar(kind, text);
            }
        }
    }

    private static JsonNode scalar(Field.Kind kind, String text) {
        try {
            return switch (kind) {
                case INTEGER -> JsonNodeFactory.instance.numberNode(new BigInteger(text.strip()));
                case NUMBER -> JsonNodeFactory.instance.numberNode(new BigDecimal(text.strip()));
                case BOOLEAN -> "true".equals(text) ? BooleanNode.TRUE : "false".equals(text) ? BooleanNode.FALSE
                        : TextNode.valueOf(text);
                default -> TextNode.valueOf(text);
            };
        } catch (NumberFormatException e) {
            return TextNode.valueOf(text);
        }
    }

    private static JsonNode json(String name, String text) throws FormException {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FormException("'" + label(name) + "' is not JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    private JsonNode resolve(JsonNode schema, Set<String> seen) {
        JsonNode current = schema == null ? JsonNodeFactory.instance.objectNode() : schema;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#") || !seen.add(ref)) {
                return MissingRef.INSTANCE;
            }
            JsonNode target = root.at(ref.substring(1));
            if (target.isMissingNode()) {
                return MissingRef.INSTANCE;
            }
            current = target;
        }
        return current;
    }

    private static List<JsonNode> branches(JsonNode schema) {
        JsonNode list = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
        List<JsonNode> out = new ArrayList<>();
        if (list != null && list.isArray()) {
            list.forEach(out::add);
        }
        return out;
    }

    private static Field.Kind kindOf(JsonNode schema) {
        if (schema.has("enum") || schema.has("const")) {
            return Field.Kind.ENUM;
        }
        String type = typeOf(schema);
        return switch (type) {
            case "string" -> Field.Kind.STRING;
            case "number" -> Field.Kind.NUMBER;
            case "integer" -> Field.Kind.INTEGER;
            case "boolean" -> Field.Kind.BOOLEAN;
            case "object" -> schema.has("properties") ? Field.Kind.OBJECT : Field.Kind.JSON;
            case "array" -> {
                String items = typeOf(schema.path("items"));
                boolean scalarItems = Set.of("string", "number", "integer", "boolean").contains(items)
                        && !schema.path("items").has("enum");
                yield scalarItems ? Field.Kind.LINES : Field.Kind.JSON;
            }
            default -> schema.has("properties") ? Field.Kind.OBJECT : Field.Kind.JSON;
        };
    }

    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "";
        }
        return type.asText("");
    }

    private static String describeType(JsonNode schema, int index) {
        String type = typeOf(schema);
        return type.isEmpty() ? "option " + (index + 1) : type;
    }

    private static Set<String> requiredOf(JsonNode schema) {
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        return required;
    }

    private static List<JsonNode> enumNodes(JsonNode schema) {
        List<JsonNode> values = new ArrayList<>();
        if (schema.has("const")) {
            values.add(schema.get("const"));
        } else {
            schema.path("enum").forEach(values::add);
        }
        return values;
    }

    private static List<String> enumValues(JsonNode schema) {
        return enumNodes(schema).stream().map(SchemaForm::text).toList();
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static String lines(JsonNode array) {
        if (array == null || !array.isArray()) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        array.forEach(v -> lines.add(text(v)));
        return String.join("\n", lines);
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    }

    private static String escape(String property) {
        return property.replace("~", "~0").replace("/", "~1");
    }

    private static String label(String name) {
        return name.isEmpty() ? "arguments" : name.replaceAll("\\|\\d+", "");
    }

    /** Marks a schema the form cannot follow (a remote or circular {@code $ref}): a JSON field. */
    private static final class MissingRef {
        static final JsonNode INSTANCE = JsonNodeFactory.instance.objectNode();
    }
}
