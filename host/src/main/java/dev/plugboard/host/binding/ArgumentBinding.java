package dev.plugboard.host.binding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.schema.SchemaGenerator;
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
     * @param name the argument's name
     * @param type the parameter's Java type
     * @param reader converts JSON to the value type (inside any {@code Optional})
     * @param defaultValue used when the argument is absent, or null
     */
    record Argument(String name, Type type, ObjectReader reader, JsonNode defaultValue) implements ArgumentBinding {

        static Argument of(String name, Type type, JsonNode defaultValue, ObjectMapper mapper) {
            Type valueType = SchemaGenerator.optionalValueType(type).orElse(type);
            if (type == OptionalInt.class) {
                valueType = Integer.class;
            }
            return new Argument(name, type, mapper.readerFor(mapper.constructType(valueType)), defaultValue);
        }

        @Override
        public Object bind(ObjectNode arguments, CallContext context) {
            JsonNode node = arguments.get(name);
            if (node == null || node.isNull()) {
                node = defaultValue;
            }
            if (node == null) {
                return empty();
            }
            Object value;
            try {
                value = reader.readValue(node);
            } catch (IOException e) {
                throw McpException.invalidParams("Invalid arguments: '" + name + "' " + reason(e));
            }
            return wrap(value);
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
            if (type instanceof Class<?> c && c.isPrimitive()) {
                throw McpException.invalidParams("Invalid arguments: '" + name + "' is required");
            }
            return null;
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

        private static String reason(IOException e) {
            if (e instanceof InvalidFormatException f) {
                return "has an invalid value " + f.getValue() + " for " + f.getTargetType().getSimpleName();
            }
            if (e instanceof MismatchedInputException m) {
                String message = m.getOriginalMessage();
                int cut = message.indexOf('\n');
                return "cannot be read: " + (cut > 0 ? message.substring(0, cut) : message);
            }
            String message = e.getMessage();
            int cut = message == null ? -1 : message.indexOf('\n');
            return "cannot be read: " + (cut > 0 ? message.substring(0, cut) : message);
        }
    }
}
