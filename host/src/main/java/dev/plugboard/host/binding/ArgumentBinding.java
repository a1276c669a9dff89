package dev.plugboard.host.binding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.jsonrpc.DecodingErrors;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.schema.SchemaGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Produces the value of one tool-method parameter for a call.
 */
public sealed interface ArgumentBinding {

    /** The value to pass. */
    Object bind(ObjectNode arguments, CallContext context);

    /** The parameter that receives the request context. */
    record Context() implements ArgumentBinding {
        @Override
        public Object bind(ObjectNode arguments, CallContext context) {
            return context;
        }
    }

    /**
     * A parameter read from the arguments object.
     *
     * <p>Absent and {@code null} arguments mean "not given": the default applies, an optional
     * parameter gets an empty {@code Optional}, and a required one is refused. A blank string (empty
     * or only whitespace) is a value for a text parameter ({@code String}, {@code CharSequence},
     * {@code char}, Base64 {@code byte[]}), passed as sent; for a parameter read from text into another
     * type (a date, a time zone, an enum, a UUID, ...) it is never a valid value and is refused,
     * whether the parameter is required or optional, rather than reaching the plugin as {@code null}.
     *
     * @param name the argument's name
     * @param type the parameter's Java type
     * @param reader converts JSON to the value type (inside any {@code Optional})
     * @param defaultValue used when the argument is absent, or null
     * @param text whether the value type is text, for which a blank string is a value
     */
    record Argument(String name, Type type, ObjectReader reader, JsonNode defaultValue, boolean text)
            implements ArgumentBinding {

        static Argument of(String name, Type type, JsonNode defaultValue, ObjectMapper mapper) {
            Type valueType = SchemaGenerator.optionalValueType(type).orElse(type);
            if (type == OptionalInt.class) {
                valueType = Integer.class;
            }
            boolean text = valueType == String.class || valueType == CharSequence.class || valueType == char.class
                    || valueType == Character.class || valueType == byte[].class || valueType == Object.class;
            return new Argument(name, type, mapper.readerFor(mapper.constructType(valueType)), defaultValue, text);
        }

        @Override
        public Object bind(ObjectNode arguments, CallContext context) {
            JsonNode node = arguments.get(name);
            if (node == null || node.isNull()) {
                node = defaultValue;
            } else if (!text && node.isTextual() && node.asText().isBlank()) {
                throw McpException.invalidParams("Invalid arguments: '" + name + "' must not be blank");
            }
            if (node == null) {
                return empty();
            }
            Object value;
            try {
                value = reader.readValue(node);
            } catch (JsonProcessingException e) {
                throw McpException.invalidParams("Invalid arguments: " + DecodingErrors.describeArgument(e, name));
            } catch (IOException | RuntimeException e) {
                throw McpException.invalidParams("Invalid arguments: '" + name + "' cannot be read");
            }
            if (value == null && !optional()) {
                throw McpException.invalidParams("Invalid arguments: '" + name + "' must have a value");
            }
            return wrap(value);
        }

        private boolean optional() {
            return type == OptionalInt.class || type == OptionalLong.class || type == OptionalDouble.class
                    || SchemaGenerator.optionalValueType(type).isPresent();
        }

        private Object empty() {
            if (type == OptionalInt.class) {
                return OptionalInt.empty();
            }
            if (type == OptionalLong.class) {
                return OptionalLong.empty();
            }
            if (type == OptionalDouble.class) {
                return OptionalDouble.empty();
            }
            if (SchemaGenerator.optionalValueType(type).isPresent()) {
                return Optional.empty();
            }
            throw McpException.invalidParams("Invalid arguments: '" + name + "' is required");
        }

        private Object wrap(Object value) {
            if (type == OptionalInt.class) {
                return OptionalInt.of((Integer) value);
            }
            if (type == OptionalLong.class) {
                return OptionalLong.of(((Number) value).longValue());
            }
            if (type == OptionalDouble.class) {
                return OptionalDouble.of(((Number) value).doubleValue());
            }
            if (SchemaGenerator.optionalValueType(type).isPresent()) {
                return Optional.ofNullable(value);
            }
            return value;
        }
    }
}
