package dev.plugboard.host.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Copies the host's JSON trees (Jackson 2) into the trees the schema library reads (Jackson 3).
 *
 * <p>A number too large for a double (such as {@code 1e999}) is read by the host as infinity; no tool
 * can receive it, and the library cannot compare it. The copy holds {@code null} in its place and
 * reports where it was, so that the caller reports it in plain words.
 */
final class JsonTrees {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A copied value and the places of the numbers that could not be copied. */
    record Copy(tools.jackson.databind.JsonNode value, List<List<Object>> nonFinite) {
    }

    private JsonTrees() {
    }

    /** A copy of the value, with the places of non-finite numbers (names and indexes, root first). */
    static Copy copy(JsonNode value) {
        List<List<Object>> nonFinite = new ArrayList<>(0);
        tools.jackson.databind.JsonNode copy = copy(value, null, nonFinite);
        return new Copy(copy, nonFinite);
    }

    private static tools.jackson.databind.JsonNode copy(JsonNode value, Place place, List<List<Object>> nonFinite) {
        switch (value.getNodeType()) {
            case OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (Map.Entry<String, JsonNode> field : value.properties()) {
                    object.set(field.getKey(), copy(field.getValue(), new Place(place, field.getKey()), nonFinite));
                }
                return object;
            }
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode(value.size());
                for (int i = 0; i < value.size(); i++) {
                    array.add(copy(value.get(i), new Place(place, i), nonFinite));
                }
                return array;
            }
            case STRING -> {
                return NODES.stringNode(value.textValue());
            }
            case BOOLEAN -> {
                return NODES.booleanNode(value.booleanValue());
            }
            case NUMBER -> {
                return number(value, place, nonFinite);
            }
            case BINARY, POJO -> {
                return NODES.stringNode(value.asText());
            }
            default -> {
                return NODES.nullNode();
            }
        }
    }

    private static tools.jackson.databind.JsonNode number(JsonNode value, Place place, List<List<Object>> nonFinite) {
        if (value.isDouble() || value.isFloat()) {
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
                nonFinite.add(Place.toList(place));
                return NODES.nullNode();
            }
            return value.isFloat() ? NODES.numberNode(value.floatValue()) : NODES.numberNode(d);
        }
        if (value.isInt() || value.isShort()) {
            return NODES.numberNode(value.intValue());
        }
        if (value.isLong()) {
            return NODES.numberNode(value.longValue());
        }
        if (value.isBigInteger()) {
            return NODES.numberNode(value.bigIntegerValue());
        }
        return NODES.numberNode(value.decimalValue());
    }

    /** Where a value sits, built only while copying; a linked list from the leaf to the root. */
    private record Place(Place parent, Object step) {

        static List<Object> toList(Place place) {
            List<Object> steps = new ArrayList<>();
            for (Place p = place; p != null; p = p.parent) {
                steps.addFirst(p.step);
            }
            return steps;
        }
    }
}
