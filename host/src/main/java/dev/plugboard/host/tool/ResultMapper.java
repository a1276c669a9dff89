package dev.plugboard.host.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.tool.ToolResult;
import dev.plugboard.host.invoke.PluginCallException;
import dev.plugboard.host.protocol.content.ContentEncoder;
import dev.plugboard.host.protocol.tools.CallToolResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps what a tool method returned to a {@code tools/call} result.
 *
 * <ul>
 *   <li>{@code null} or {@code void}: no content;</li>
 *   <li>a string, number, boolean, character or enum: one text block;</li>
 *   <li>a {@link Content} or a collection of them: those blocks;</li>
 *   <li>a {@link ToolResult}: as built;</li>
 *   <li>a record or a map: {@code structuredContent}, plus its JSON as a text block;</li>
 *   <li>an {@code Optional}: its value, or no content;</li>
 *   <li>anything else: its JSON as a text block.</li>
 * </ul>
 *
 * <p>JSON has no NaN or infinity. A non-finite number in a structured value becomes {@code null}
 * where the output schema allows null there (or says nothing about it), is left out where the
 * property is optional, and otherwise makes the call an error result naming the field. A value that
 * cannot be written as JSON at all (cyclic, nested too deeply) is an error result too.
 */
public final class ResultMapper {

    private static final Logger LOG = Logger.getLogger(ResultMapper.class.getName());

    private final ObjectMapper mapper;

    /**
     * @param mapper serialises structured values
     */
    public ResultMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The result for a returned value, for a tool without an output schema. */
    public CallToolResult map(Object value) {
        return map(value, null);
    }

    /**
     * The result for a returned value.
     *
     * @param outputSchema the tool's output schema, or null; decides what non-finite numbers become
     */
    public CallToolResult map(Object value, JsonNode outputSchema) {
        try {
            return mapChecked(value, outputSchema);
        } catch (Unencodable e) {
            return error(e.getMessage());
        }
    }

    private CallToolResult mapChecked(Object value, JsonNode outputSchema) {
        return switch (value) {
            case null -> new CallToolResult(List.of(), null, null);
            case Optional<?> o -> mapChecked(o.orElse(null), outputSchema);
            case CharSequence s -> text(s.toString());
            case Number n -> text(n.toString());
            case Boolean b -> text(b.toString());
            case Character c -> text(c.toString());
            case Enum<?> e -> text(e.name());
            case Content c -> new CallToolResult(List.of(ContentEncoder.encode(c)), null, null);
            case ToolResult r -> fromToolResult(r, outputSchema);
            case Collection<?> c when !c.isEmpty() && c.stream().allMatch(Content.class::isInstance) ->
                    new CallToolResult(c.stream().map(x -> (JsonNode) ContentEncoder.encode((Content) x)).toList(),
                            null, null);
            case Record r -> structured(r, outputSchema);
            case Map<?, ?> m -> structured(m, outputSchema);
            default -> text(json(finite(tree(value), null)));
        };
    }

    /** An error result carrying only the message. */
    public static CallToolResult error(String message) {
        return CallToolResult.error(ContentEncoder.text(message));
    }

    /**
     * The {@code _meta} key of the text block of a call that plugin code did not answer (it failed,
     * overran, was busy or gone); its value is the {@link PluginCallException.Reason} name, so that
     * doors other than MCP can answer with a matching status.
     */
    public static final String FAILURE_META = "plugboard/failure";

    /** A call that plugin code did not answer: its message, tagged with the reason (see {@link #FAILURE_META}). */
    public static CallToolResult failed(PluginCallException failure) {
        var block = ContentEncoder.text(failure.getMessage());
        if (failure.reason() != PluginCallException.Reason.FAILED) {
            // A tool that threw answered, as over MCP, with its error: only refusals and overruns are tagged.
            block.putObject("_meta").put(FAILURE_META, failure.reason().name());
        }
        return CallToolResult.error(block);
    }

    private CallToolResult fromToolResult(ToolResult r, JsonNode outputSchema) {
        List<JsonNode> blocks = new ArrayList<>(r.content().size() + 1);
        r.content().forEach(c -> blocks.add(ContentEncoder.encode(c)));
        JsonNode structured = null;
        if (r.structured() != null) {
            structured = finite(tree(r.structured()), outputSchema);
            if (blocks.isEmpty()) {
                blocks.add(ContentEncoder.text(json(structured)));
            }
        }
        return new CallToolResult(blocks, structured, r.error() ? Boolean.TRUE : null);
    }

    private CallToolResult structured(Object value, JsonNode outputSchema) {
        JsonNode tree = finite(tree(value), outputSchema);
        return new CallToolResult(List.of(ContentEncoder.text(json(tree))), tree, null);
    }

    /** The value as a JSON tree. */
    private JsonNode tree(Object value) {
        try {
            return mapper.valueToTree(value);
        } catch (IllegalArgumentException | StackOverflowError e) {
            LOG.warning(() -> "A tool returned a " + value.getClass().getSimpleName()
                    + " that cannot be written as JSON; the call ends with an error result");
            LOG.log(Level.FINE, "Mapping a result failed", e);
            throw new Unencodable("The tool's result cannot be written as JSON: it refers to itself, is nested too "
                    + "deeply or holds a value that has no JSON form");
        }
    }

    /** The tree with its non-finite numbers handled as the schema says (see the class description). */
    private static JsonNode finite(JsonNode tree, JsonNode schema) {
        if (tree.isNumber() && !finite(tree)) {
            if (allowsNull(schema)) {
                return com.fasterxml.jackson.databind.node.NullNode.getInstance();
            }
            throw nonFinite(tree, "(the result)");
        }
        replaceNonFinite(tree, schema, "");
        return tree;
    }

    private static void replaceNonFinite(JsonNode node, JsonNode schema, String path) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = object.get(name);
                JsonNode childSchema = propertySchema(schema, name);
                String childPath = path.isEmpty() ? name : path + "." + name;
                if (child.isNumber() && !finite(child)) {
                    if (allowsNull(childSchema)) {
                        object.putNull(name);
                    } else if (!required(schema, name)) {
                        object.remove(name);
                    } else {
                        throw nonFinite(child, childPath);
                    }
                } else if (child.isContainerNode()) {
                    replaceNonFinite(child, childSchema, childPath);
                }
            }
        } else if (node instanceof ArrayNode array) {
            JsonNode items = schema == null ? null : schema.get("items");
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                if (child.isNumber() && !finite(child)) {
                    if (!allowsNull(items)) {
                        throw nonFinite(child, path + "[" + i + "]");
                    }
                    array.set(i, com.fasterxml.jackson.databind.node.NullNode.getInstance());
                } else if (child.isContainerNode()) {
                    replaceNonFinite(child, items, path + "[" + i + "]");
                }
            }
        }
    }

    private static boolean finite(JsonNode number) {
        return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
    }

    private static JsonNode propertySchema(JsonNode schema, String name) {
        if (schema == null) {
            return null;
        }
        JsonNode property = schema.path("properties").get(name);
        if (property != null) {
            return property;
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && additional.isObject() ? additional : null;
    }

    /** Whether a schema lets a value be null: no schema, no type, or a type that includes "null". */
    private static boolean allowsNull(JsonNode schema) {
        if (schema == null || !schema.has("type")) {
            return true;
        }
        JsonNode type = schema.get("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if ("null".equals(t.asText())) {
                    return true;
                }
            }
            return false;
        }
        return "null".equals(type.asText());
    }

    private static boolean required(JsonNode schema, String name) {
        if (schema == null) {
            return false;
        }
        for (JsonNode r : schema.path("required")) {
            if (name.equals(r.asText())) {
                return true;
            }
        }
        return false;
    }

    private static Unencodable nonFinite(JsonNode number, String path) {
        return new Unencodable("The tool's result has a non-finite number (" + number.asText() + ") in '" + path
                + "', which JSON cannot carry and the tool's output schema does not allow to be null");
    }

    /** A result that cannot become a {@code tools/call} result; the message is for the client. */
    private static final class Unencodable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unencodable(String message) {
            super(message, null, false, false);
        }
    }

    private static CallToolResult text(String text) {
        return new CallToolResult(List.of(ContentEncoder.text(text)), null, null);
    }

    private String json(JsonNode tree) {
        try {
            return mapper.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            LOG.warning("A tool returned a value that cannot be written as JSON; the call ends with an error result");
            LOG.log(Level.FINE, "Writing a result failed", e);
            throw new Unencodable("The tool's result cannot be written as JSON: it is nested too deeply or holds a "
                    + "value that has no JSON form");
        }
    }
}
