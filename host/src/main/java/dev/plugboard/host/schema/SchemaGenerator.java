package dev.plugboard.host.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.tool.Param;
import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Derives JSON Schema (2020-12) from Java types: the input schema of a tool from its parameters and
 * the output schema from its return type.
 *
 * <p>Supported: strings, characters, numbers, booleans, enums, {@code java.time} values, UUIDs,
 * URIs, byte arrays (base64), arrays, collections, maps with string keys, {@code Optional}s, records
 * (nested as objects) and {@code Object} (any value). Recursive records are rejected.
 */
public final class SchemaGenerator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper;

    /**
     * @param mapper used to parse {@link Param#defaultValue()}s
     */
    public SchemaGenerator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The schema of an object whose properties are the given parameters; its
     * {@code additionalProperties} is false.
     *
     * @throws IllegalArgumentException naming the parameter whose type is not supported
     */
    public ObjectNode objectSchema(List<Property> properties) {
        return objectOf(properties, new HashSet<>());
    }

    /**
     * The output schema for a return type: present for records and maps, whose values become
     * {@code structuredContent}; empty for every other type.
     */
    public Optional<ObjectNode> outputSchema(Type returnType) {
        Class<?> raw = rawClass(returnType);
        if (raw != null && (raw.isRecord() || Map.class.isAssignableFrom(raw))) {
            return Optional.of(forType(returnType, new HashSet<>()));
        }
        return Optional.empty();
    }

    /**
     * The schema of a type.
     *
     * @throws IllegalArgumentException if the type is not supported
     */
    public ObjectNode forType(Type type) {
        return forType(type, new HashSet<>());
    }

    /** The value type inside an {@code Optional}, or empty when the type is not one. */
    public static Optional<Type> optionalValueType(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            return Optional.of(p.getActualTypeArguments()[0]);
        }
        if (type == OptionalInt.class || type == OptionalLong.class) {
            return Optional.of(Long.class);
        }
        if (type == OptionalDouble.class) {
            return Optional.of(Double.class);
        }
        return Optional.empty();
    }

    private ObjectNode forType(Type type, Set<Class<?>> enclosing) {
        Optional<Type> inner = optionalValueType(type);
        if (inner.isPresent()) {
            return forType(inner.get(), enclosing);
        }
        if (type instanceof ParameterizedType p) {
            return parameterized(p, enclosing);
        }
        if (type instanceof GenericArrayType g) {
            return arrayOf(g.getGenericComponentType(), enclosing, false);
        }
        if (type instanceof Class<?> c) {
            return forClass(c, enclosing);
        }
        throw new IllegalArgumentException("type " + type.getTypeName()
                + " is not supported: use a concrete type instead of a type variable or wildcard");
    }

    private ObjectNode parameterized(ParameterizedType p, Set<Class<?>> enclosing) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (Collection.class.isAssignableFrom(raw) || raw == Iterable.class) {
            return arrayOf(args[0], enclosing, Set.class.isAssignableFrom(raw));
        }
        if (Map.class.isAssignableFrom(raw)) {
            ObjectNode s = NODES.objectNode().put("type", "object");
            if (args[0] instanceof Class<?> key && key.isEnum()) {
                s.set("propertyNames", enumSchema(key));
            } else if (args[0] != String.class) {
                throw new IllegalArgumentException("map keys must be strings or enums, not " + args[0].getTypeName());
            }
            s.set("additionalProperties", forType(args[1], enclosing));
            return s;
        }
        throw new IllegalArgumentException("type " + p.getTypeName() + " is not supported");
    }

    private ObjectNode forClass(Class<?> c, Set<Class<?>> enclosing) {
        if (c == String.class || c == CharSequence.class || c == ZoneId.class) {
            return type("string");
        }
        if (c == char.class || c == Character.class) {
            return type("string").put("minLength", 1).put("maxLength", 1);
        }
        if (c == boolean.class || c == Boolean.class) {
            return type("boolean");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class
                || c == Short.class || c == byte.class || c == Byte.class || c == BigInteger.class) {
            return type("integer");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class
                || c == BigDecimal.class || c == Number.class) {
            return type("number");
        }
        if (c == byte[].class) {
            return type("string").put("contentEncoding", "base64");
        }
        if (c.isArray()) {
            return arrayOf(c.getComponentType(), enclosing, false);
        }
        if (c.isEnum()) {
            return enumSchema(c);
        }
        String format = format(c);
        if (format != null) {
            return type("string").put("format", format);
        }
        if (c == LocalDateTime.class) {
            return type("string").put("pattern", "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$");
        }
        if (c.isRecord()) {
            return recordSchema(c, enclosing);
        }
        if (c == Object.class) {
            return NODES.objectNode();
        }
        if (Map.class.isAssignableFrom(c)) {
            return type("object");
        }
        if (Collection.class.isAssignableFrom(c)) {
            return type("array");
        }
        if (c == void.class || c == Void.class) {
            throw new IllegalArgumentException("void is not a value type");
        }
        throw new IllegalArgumentException("type " + c.getName()
                + " is not supported: use a record, a collection, an enum or a simple value");
    }

    private static String format(Class<?> c) {
        if (c == Instant.class || c == OffsetDateTime.class || c == ZonedDateTime.class) {
            return "date-time";
        }
        if (c == LocalDate.class) {
            return "date";
        }
        if (c == LocalTime.class || c == OffsetTime.class) {
            return "time";
        }
        if (c == Duration.class || c == Period.class) {
            return "duration";
        }
        if (c == UUID.class) {
            return "uuid";
        }
        if (c == URI.class || c == URL.class) {
            return "uri";
        }
        return null;
    }

    private ObjectNode recordSchema(Class<?> record, Set<Class<?>> enclosing) {
        if (!enclosing.add(record)) {
            throw new IllegalArgumentException("record " + record.getName() + " refers to itself; recursive types are not supported");
        }
        try {
            List<Property> properties = new ArrayList<>();
            for (RecordComponent rc : record.getRecordComponents()) {
                properties.add(Property.of(rc.getName(), rc.getGenericType(), rc.getAnnotation(Param.class), mapper));
            }
            return objectOf(properties, enclosing);
        } finally {
            enclosing.remove(record);
        }
    }

    private ObjectNode objectOf(List<Property> properties, Set<Class<?>> enclosing) {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (Property p : properties) {
            ObjectNode s;
            try {
                s = forType(p.type(), enclosing);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + p.name() + "': " + e.getMessage(), e);
            }
            describe(s, p);
            if (p.header() != null) {
                s.put("x-mcp-header", p.header());
            }
            props.set(p.name(), s);
            if (p.required()) {
                required.add(p.name());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    private ObjectNode arrayOf(Type item, Set<Class<?>> enclosing, boolean unique) {
        ObjectNode s = type("array");
        s.set("items", forType(item, enclosing));
        if (unique) {
            s.put("uniqueItems", true);
        }
        return s;
    }

    private static ObjectNode enumSchema(Class<?> c) {
        ObjectNode s = type("string");
        ArrayNode values = s.putArray("enum");
        for (Object constant : c.getEnumConstants()) {
            values.add(((Enum<?>) constant).name());
        }
        return s;
    }

    private static void describe(ObjectNode schema, Property p) {
        if (p.description() != null) {
            schema.put("description", p.description());
        }
        if (p.defaultValue() != null) {
            schema.set("default", p.defaultValue());
        }
    }

    private static ObjectNode type(String name) {
        return NODES.objectNode().put("type", name);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    /**
     * One property of an object schema: a tool parameter or a record component.
     *
     * @param name the JSON name
     * @param type the Java type
     * @param description its description, or null
     * @param defaultValue its default as JSON, or null
     * @param required whether the property must be present
     * @param header the {@code x-mcp-header} name it is mirrored into, or null
     */
    public record Property(String name, Type type, String description, JsonNode defaultValue, boolean required,
            String header) {

        /**
         * A property described by an optional {@link Param}: a property is required unless its type is
         * an {@code Optional} or it has a default.
         */
        public static Property of(String javaName, Type type, Param param, ObjectMapper mapper) {
            String name = param != null && !param.name().isEmpty() ? param.name() : javaName;
            String description = param != null && !param.description().isEmpty() ? param.description() : null;
            JsonNode defaultValue = param != null && !param.defaultValue().isEmpty()
                    ? parseDefault(param.defaultValue(), type, mapper) : null;
            String header = param != null && !param.header().isEmpty() ? param.header() : null;
            boolean optional = optionalValueType(type).isPresent();
            return new Property(name, type, description, defaultValue, !optional && defaultValue == null, header);
        }

        private static JsonNode parseDefault(String text, Type type, ObjectMapper mapper) {
            Class<?> raw = rawClass(type);
            boolean stringLike = raw == String.class || raw == CharSequence.class || (raw != null && raw.isEnum());
            if (!stringLike) {
                try {
                    return mapper.readTree(text);
                } catch (IOException e) {
                    // not JSON: taken as a bare string below
                }
            }
            return NODES.textNode(text);
        }
    }
}
