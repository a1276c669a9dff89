package dev.plugboard.host.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.protocol.tools.CallToolResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stateless result streamed into its wire object: the same JSON as decorating a tree of it. */
class StatelessResultTest {

    private final JsonRpcCodec codec = new JsonRpcCodec();
    private final ObjectMapper mapper = codec.mapper();
    private final ObjectNode serverInfo = mapper.createObjectNode().put("name", "plugboard").put("version", "1");

    /** A record with a component named like one of the added fields. */
    record Clashing(String resultType) {
    }

    /** A record renaming a component: its JSON names are not its component names. */
    record Renamed(@JsonProperty("_meta") JsonNode meta) {
    }

    /** A record that Jackson writes with a serializer of its own, not as a bean. */
    @JsonSerialize(using = OwnWriter.class)
    record OwnSerializer(int n) {
    }

    /** Writes {@link OwnSerializer} as an object with three fields, one of them its own {@code _meta}. */
    static final class OwnWriter extends StdSerializer<OwnSerializer> {
        private static final long serialVersionUID = 1L;

        OwnWriter() {
            super(OwnSerializer.class);
        }

        @Override
        public void serialize(OwnSerializer value, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeNumberField("n", value.n());
            g.writeArrayFieldStart("twice");
            g.writeNumber(value.n());
            g.writeNumber(value.n());
            g.writeEndArray();
            g.writeObjectFieldStart("_meta");
            g.writeBooleanField("mine", true);
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private JsonNode onTheWire(Object result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.write(new JsonRpcResult(mapper.getNodeFactory().numberNode(7), result), out);
        return mapper.readTree(out.toByteArray()).get("result");
    }

    @Test
    void aToolResultIsWrittenWithTheAddedFieldsAndWithoutItsNullOnes() throws IOException {
        CallToolResult call = new CallToolResult(List.of(mapper.createObjectNode().put("type", "text").put("text", "hi")),
                null, null);
        assertThat(StatelessResult.fits(call)).isTrue();
        JsonNode wire = onTheWire(new StatelessResult(call, serverInfo, -1, null));
        ObjectNode expected = mapper.valueToTree(call);
        expected.put("resultType", "complete");
        expected.putObject("_meta").set("io.modelcontextprotocol/serverInfo", serverInfo);
        assertThat(wire).isEqualTo(expected);
        assertThat(wire.has("structuredContent")).isFalse();
        assertThat(wire.has("ttlMs")).isFalse();
    }

    @Test
    void cachingHintsFollowTheResultsFields() throws IOException {
        CallToolResult failed = CallToolResult.error(mapper.createObjectNode().put("type", "text").put("text", "no"));
        JsonNode wire = onTheWire(new StatelessResult(failed, serverInfo, 10_000, "public"));
        assertThat(wire.get("isError").asBoolean()).isTrue();
        assertThat(wire.get("ttlMs").asLong()).isEqualTo(10_000);
        assertThat(wire.get("cacheScope").asText()).isEqualTo("public");
        assertThat(wire.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asText()).isEqualTo("plugboard");
    }

    @Test
    void recordsWhoseFieldsWouldClashAreNotWrapped() {
        assertThat(StatelessResult.fits(new Clashing("task"))).isFalse();
        assertThat(StatelessResult.fits(new Renamed(null))).isFalse();
        assertThat(StatelessResult.fits(mapper.createObjectNode())).isFalse();
        assertThat(StatelessResult.fits("text")).isFalse();
    }

    @Test
    void aRecordWithASerializerOfItsOwnIsDecoratedLikeATree() throws IOException {
        JsonNode wire = onTheWire(new StatelessResult(new OwnSerializer(3), serverInfo, 0, "private"));
        assertThat(wire.get("n").asInt()).isEqualTo(3);
        assertThat(wire.get("twice")).hasSize(2);
        assertThat(wire.get("resultType").asText()).isEqualTo("complete");
        assertThat(wire.get("cacheScope").asText()).isEqualTo("private");
        assertThat(wire.at("/_meta/mine").asBoolean()).as("its own _meta, kept").isTrue();
        assertThat(wire.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asText()).isEqualTo("plugboard");
        assertThat(StatelessResult.unwrap(new StatelessResult("x", serverInfo, -1, null))).isEqualTo("x");
    }
}
