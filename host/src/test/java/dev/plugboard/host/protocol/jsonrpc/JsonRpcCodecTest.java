package dev.plugboard.host.protocol.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRpcCodecTest {

    private final JsonRpcCodec codec = new JsonRpcCodec();

    private JsonRpcMessage decode(String json) {
        return codec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static int codeOf(Runnable r) {
        try {
            r.run();
        } catch (McpException e) {
            return e.code();
        }
        throw new AssertionError("no McpException");
    }

    @Test
    void decodesEachKindOfMessage() {
        assertThat(decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .isEqualTo(new JsonRpcRequest(IntNode.valueOf(1), "ping", null));
        assertThat(decode("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
                .isInstanceOf(JsonRpcNotification.class);
        assertThat(decode("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{}}")).isInstanceOf(JsonRpcResult.class);
        JsonRpcMessage error = decode("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":-1,\"message\":\"m\"}}");
        assertThat(error).isInstanceOfSatisfying(JsonRpcError.class, e -> assertThat(e.error().code()).isEqualTo(-1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "", "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"x\"}", "nul"})
    void unreadableJsonIsAParseError(String json) {
        assertThat(codeOf(() -> decode(json))).isEqualTo(ErrorCodes.PARSE_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]",
        "42",
        "{\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":[1]}",
        "{\"jsonrpc\":\"2.0\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1,\"message\":\"x\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"x\"}}"
    })
    void wellFormedJsonThatIsNotOneMessageIsAnInvalidRequest(String json) {
        assertThat(codeOf(() -> decode(json))).isEqualTo(ErrorCodes.INVALID_REQUEST);
    }

    @Test
    void encodesResultsAndOmitsAnUnknownErrorId() {
        String result = new String(codec.encode(new JsonRpcResult(TextNode.valueOf("x"), Map.of("a", 1))),
                StandardCharsets.UTF_8);
        assertThat(result).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":{\"a\":1}}");
        String error = new String(codec.encode(JsonRpcError.of(null, -32700, "Parse error", null)), StandardCharsets.UTF_8);
        assertThat(error).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
    }

    @Test
    void requestIdsKeepTheirJsonType() {
        JsonRpcRequest r = (JsonRpcRequest) decode("{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"method\":\"ping\"}");
        String echoed = new String(codec.encode(new JsonRpcResult(r.id(), Map.of())), StandardCharsets.UTF_8);
        assertThat(echoed).contains("\"id\":\"7\"");
    }

    @Test
    void deeplyNestedInputIsRejected() {
        String deep = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}}";
        assertThatThrownBy(() -> decode(deep)).isInstanceOf(McpException.class)
                .hasMessage("Parse error: the JSON is nested too deeply");
    }

    @Test
    void parseErrorsSayWhatIsWrongWithoutNamingTheLibrary() {
        String digits = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"n\":" + "9".repeat(2000) + "}}";
        assertThatThrownBy(() -> decode(digits)).hasMessage("Parse error: a number has too many digits");
        assertThatThrownBy(() -> decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2}"))
                .hasMessageStartingWith("Parse error: Duplicate field 'id'").hasMessageEndingWith("(line 1, column 29)");
        for (String bad : new String[] {"{", "{\"a\" 1}", "[1,]", "nul", "\"\\x\""}) {
            assertThatThrownBy(() -> decode(bad)).as(bad).isInstanceOf(McpException.class)
                    .satisfies(e -> assertThat(((McpException) e).code()).isEqualTo(ErrorCodes.PARSE_ERROR))
                    .message().doesNotContainPattern("com\\.fasterxml|JsonToken|StreamReadConstraints|`|Source");
        }
    }

    /** A record with the shapes params come in. */
    record Sample(String name, int count, java.util.List<String> tags, Nested nested) {
        /** A nested object. */
        record Nested(boolean flag) {
        }
    }

    @Test
    void paramsOfTheWrongShapeNameThePathAndWhatWasExpected() throws Exception {
        var mapper = codec.mapper();
        String[][] cases = {
            {"{\"name\":5}", "params.name: expected a string"},
            {"{\"name\":true}", "params.name: expected a string"},
            {"{\"name\":{}}", "params.name: expected a string"},
            {"{\"count\":\"x\"}", "params.count: expected an integer"},
            {"{\"count\":1e300}", "params.count: expected an integer within range"},
            {"{\"tags\":{}}", "params.tags: expected an array"},
            {"{\"tags\":[\"a\",[]]}", "params.tags[1]: expected a string"},
            {"{\"nested\":[]}", "params.nested: expected an object"},
            {"{\"nested\":{\"flag\":{}}}", "params.nested.flag: expected true or false"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> codec.readParams(mapper.readTree(c[0]), Sample.class, "params")).as(c[0])
                    .isInstanceOf(McpException.class).hasMessage("Invalid params: " + c[1]);
        }
        assertThat(codec.readParams(null, Sample.class, "params")).isNull();
        assertThat(codec.readParams(mapper.readTree("{\"name\":\"n\",\"extra\":1}"), Sample.class, "params").name())
                .isEqualTo("n");
    }
}
