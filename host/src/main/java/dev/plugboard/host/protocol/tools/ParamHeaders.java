package dev.plugboard.host.protocol.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.MirroredValue;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The arguments of a tool that HTTP clients mirror into {@code Mcp-Param-<name>} headers, as its
 * input schema declares them with {@code x-mcp-header} (2026-07-28 revision), and the check that a
 * call's headers match its arguments.
 */
public final class ParamHeaders {

    /** The annotation in an input schema. */
    public static final String ANNOTATION = "x-mcp-header";
    /** What every mirrored header's name starts with. */
    public static final String PREFIX = "Mcp-Param-";
    /** A tool without mirrored arguments. */
    public static final ParamHeaders NONE = new ParamHeaders(List.of());

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Set<String> TYPES = Set.of("string", "integer", "boolean");
    /** Keywords whose values are data, not schemas. */
    private static final Set<String> VALUES = Set.of("default", "const", "enum", "examples");
    private static final int SHOWN = 60;

    /**
     * One mirrored argument.
     *
     * @param header the name after {@code Mcp-Param-}
     * @param path the property names leading to the argument from the arguments object
     * @param type its JSON type: string, integer or boolean
     */
    private record Mirror(String header, List<String> path, String type) {

        String headerName() {
            return PREFIX + header;
        }

        String argument() {
            return String.join(".", path);
        }
    }

    private final List<Mirror> mirrors;

    private ParamHeaders(List<Mirror> mirrors) {
        this.mirrors = mirrors;
    }

    /**
     * Reads the {@code x-mcp-header} annotations of an input schema.
     *
     * @throws IllegalArgumentException when one breaks the revision's rules (a name that is not an
     *         HTTP token, a name used twice ignoring case, a property that is not a string, integer
     *         or boolean, or one not reached from the root through {@code properties} alone)
     */
    public static ParamHeaders of(ObjectNode inputSchema) {
        List<Mirror> found = new ArrayList<>();
        collect(inputSchema, List.of(), true, found);
        Map<String, String> seen = new HashMap<>();
        for (Mirror m : found) {
            String other = seen.putIfAbsent(m.header().toLowerCase(Locale.ROOT), m.argument());
            if (other != null) {
                throw new IllegalArgumentException(ANNOTATION + " '" + m.header() + "' of '" + m.argument()
                        + "' is also used by '" + other + "' (header names are compared ignoring case)");
            }
        }
        return found.isEmpty() ? NONE : new ParamHeaders(List.copyOf(found));
    }

    private static void collect(JsonNode schema, List<String> path, boolean reachable, List<Mirror> found) {
        if (schema.isArray()) {
            schema.forEach(s -> collect(s, path, false, found));
            return;
        }
        if (!schema.isObject()) {
            return;
        }
        JsonNode annotation = schema.get(ANNOTATION);
        if (annotation != null) {
            found.add(mirror(annotation, schema, path, reachable));
        }
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            String keyword = field.getKey();
            if (keyword.equals("properties") && field.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> property : field.getValue().properties()) {
                    List<String> deeper = new ArrayList<>(path);
                    deeper.add(property.getKey());
                    collect(property.getValue(), deeper, reachable, found);
                }
            } else if (!VALUES.contains(keyword) && !keyword.equals(ANNOTATION)) {
                collect(field.getValue(), path, false, found);
            }
        }
    }

    private static Mirror mirror(JsonNode annotation, JsonNode schema, List<String> path, boolean reachable) {
        String where = path.isEmpty() ? "the input schema itself" : "'" + String.join(".", path) + "'";
        if (!reachable || path.isEmpty()) {
            throw new IllegalArgumentException(ANNOTATION + " on " + where
                    + " is not allowed: only properties reached from the root through \"properties\" alone can be mirrored"
                    + " (not inside lists, maps, $ref or combinations)");
        }
        if (!annotation.isTextual() || !TOKEN.matcher(annotation.asText()).matches()) {
            throw new IllegalArgumentException(ANNOTATION + " of " + where + " must be a non-empty HTTP token"
                    + " (letters, digits and !#$%&'*+-.^_`|~), not " + annotation);
        }
        String type = schema.path("type").asText("");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException(ANNOTATION + " of " + where + " needs a string, integer or boolean"
                    + " property, not " + (type.isEmpty() ? "an untyped one" : type));
        }
        return new Mirror(annotation.asText(), List.copyOf(path), type);
    }

    /** Whether no argument is mirrored. */
    public boolean isEmpty() {
        return mirrors.isEmpty();
    }

    /**
     * Checks a call's {@code Mcp-Param-*} headers against its arguments: each mirrored argument that
     * has a value must come with its header carrying the same value, and a header must not stand
     * for an argument that is absent or null.
     *
     * @param arguments the call's arguments, or null
     * @param headers the request's {@code Mcp-Param-*} headers, by the lower-case name after the prefix
     * @throws McpException {@code -32020} naming the header and the argument when they differ
     */
    public void check(JsonNode arguments, Map<String, String> headers) {
        for (Mirror m : mirrors) {
            JsonNode value = arguments;
            for (String step : m.path()) {
                value = value == null ? null : value.get(step);
            }
            String raw = headers.get(m.header().toLowerCase(Locale.ROOT));
            boolean absent = value == null || value.isNull();
            if (absent) {
                if (raw != null) {
                    throw mismatch("Header mismatch: " + m.headerName() + " is sent but argument '" + m.argument()
                            + "' has no value");
                }
                continue;
            }
            if (raw == null) {
                throw mismatch("Missing " + m.headerName() + " header: it must mirror argument '" + m.argument() + "'");
            }
            String carried = MirroredValue.decode(m.headerName(), raw);
            if (!same(m.type(), carried, value)) {
                throw mismatch("Header mismatch: " + m.headerName() + " header value '" + shown(carried)
                        + "' does not match argument '" + m.argument() + "' value '" + shown(value.asText()) + "'");
            }
        }
    }

    private static boolean same(String type, String carried, JsonNode value) {
        if (!value.isValueNode()) {
            return false;
        }
        if (type.equals("integer") && value.isNumber()) {
            try {
                return new BigDecimal(carried).compareTo(value.decimalValue()) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return carried.equals(value.asText());
    }

    private static String shown(String text) {
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
    }

    private static McpException mismatch(String message) {
        return new McpException(ErrorCodes.HEADER_MISMATCH, message);
    }
}
