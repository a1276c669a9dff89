package dev.plugboard.host.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.tool.Param;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SchemaGeneratorTest {

    private final ObjectMapper mapper = JsonRpcCodec.newMapper();
    private final SchemaGenerator generator = new SchemaGenerator(mapper);

    enum Unit { CELSIUS, FAHRENHEIT }

    record Address(@Param(description = "Street and number") String street, Optional<String> city) {
    }

    record Person(String name, int age, List<Address> addresses, Unit preferred) {
    }

    record Node(String label, List<Node> children) {
    }

    static class NotARecord {
    }

    @SuppressWarnings("unused")
    private static void signature(List<String> tags, Set<Integer> ids, Map<String, Double> weights,
            Map<Unit, Boolean> flags, byte[] blob, String[] names, Optional<Instant> when) {
    }

    private static Type param(int index) throws NoSuchMethodException {
        for (var m : SchemaGeneratorTest.class.getDeclaredMethods()) {
            if (m.getName().equals("signature")) {
                return m.getGenericParameterTypes()[index];
            }
        }
        throw new NoSuchMethodException("signature");
    }

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }

    @Test
    void simpleValuesMapToJsonTypes() throws Exception {
        assertThat(generator.forType(String.class)).isEqualTo(json("{\"type\":\"string\"}"));
        assertThat(generator.forType(int.class)).isEqualTo(json("{\"type\":\"integer\"}"));
        assertThat(generator.forType(Long.class)).isEqualTo(json("{\"type\":\"integer\"}"));
        assertThat(generator.forType(double.class)).isEqualTo(json("{\"type\":\"number\"}"));
        assertThat(generator.forType(boolean.class)).isEqualTo(json("{\"type\":\"boolean\"}"));
        assertThat(generator.forType(char.class)).isEqualTo(json("{\"type\":\"string\",\"minLength\":1,\"maxLength\":1}"));
    }

    @Test
    void enumsListTheirConstants() throws Exception {
        assertThat(generator.forType(Unit.class))
                .isEqualTo(json("{\"type\":\"string\",\"enum\":[\"CELSIUS\",\"FAHRENHEIT\"]}"));
    }

    @Test
    void timeAndIdentifierTypesCarryAFormat() {
        assertThat(generator.forType(Instant.class).get("format").asText()).isEqualTo("date-time");
        assertThat(generator.forType(LocalDate.class).get("format").asText()).isEqualTo("date");
        assertThat(generator.forType(UUID.class).get("format").asText()).isEqualTo("uuid");
    }

    @Test
    void collectionsMapsArraysAndOptionals() throws Exception {
        assertThat(generator.forType(param(0))).isEqualTo(json("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"));
        assertThat(generator.forType(param(1)))
                .isEqualTo(json("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"uniqueItems\":true}"));
        assertThat(generator.forType(param(2)))
                .isEqualTo(json("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"number\"}}"));
        assertThat(generator.forType(param(3)).get("propertyNames").get("enum")).hasSize(2);
        assertThat(generator.forType(param(4)))
                .isEqualTo(json("{\"type\":\"string\",\"contentEncoding\":\"base64\"}"));
        assertThat(generator.forType(param(5))).isEqualTo(json("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"));
        assertThat(generator.forType(param(6)).get("format").asText()).isEqualTo("date-time");
    }

    @Test
    void nestedRecordsBecomeClosedObjectsWithRequiredComponents() {
        ObjectNode schema = generator.forType(Person.class);
        assertThat(schema.get("type").asText()).isEqualTo("object");
        assertThat(schema.get("required")).extracting(JsonNode::asText)
                .containsExactly("name", "age", "addresses", "preferred");
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        JsonNode address = schema.at("/properties/addresses/items");
        assertThat(address.at("/properties/street/description").asText()).isEqualTo("Street and number");
        assertThat(address.get("required")).extracting(JsonNode::asText).containsExactly("street");
    }

    @Test
    void parametersWithDefaultsOrOptionalsAreNotRequired() throws Exception {
        var props = List.of(
                new SchemaGenerator.Property("query", String.class, "what to look for", null, true, null),
                SchemaGenerator.Property.of("limit", int.class, paramWithDefault("10"), mapper),
                SchemaGenerator.Property.of("zone", String.class, paramWithDefault("UTC"), mapper),
                SchemaGenerator.Property.of("tags", param(0), paramWithDefault("[\"a\",\"b\"]"), mapper));
        ObjectNode schema = generator.objectSchema(props);
        assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactly("query");
        assertThat(schema.at("/properties/limit/default").asInt()).isEqualTo(10);
        assertThat(schema.at("/properties/zone/default").asText()).isEqualTo("UTC");
        assertThat(schema.at("/properties/tags/default")).isEqualTo(json("[\"a\",\"b\"]"));
        assertThat(schema.at("/properties/query/description").asText()).isEqualTo("what to look for");
    }

    @Test
    void outputSchemaExistsOnlyForRecordsAndMaps() throws Exception {
        assertThat(generator.outputSchema(Person.class)).isPresent();
        assertThat(generator.outputSchema(param(2))).isPresent();
        assertThat(generator.outputSchema(String.class)).isEmpty();
        assertThat(generator.outputSchema(param(0))).isEmpty();
    }

    @Test
    void unsupportedTypesAreRejectedWithTheirName() {
        assertThatThrownBy(() -> generator.forType(NotARecord.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NotARecord.class.getName());
    }

    @Test
    void recursiveRecordsAreRejected() {
        assertThatThrownBy(() -> generator.forType(Node.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recursive");
    }

    private static Param paramWithDefault(String value) {
        return new Param() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return Param.class;
            }

            @Override
            public String name() {
                return "";
            }

            @Override
            public String description() {
                return "";
            }

            @Override
            public String defaultValue() {
                return value;
            }

            @Override
            public String header() {
                return "";
            }
        };
    }
}
