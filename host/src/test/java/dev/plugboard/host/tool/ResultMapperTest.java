package dev.plugboard.host.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.tool.ToolResult;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.tools.CallToolResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Non-finite numbers and values that have no JSON form, in tool results. */
class ResultMapperTest {

    private final ObjectMapper mapper = JsonRpcCodec.newMapper();
    private final ResultMapper results = new ResultMapper(mapper);

    private JsonNode schema(String json) throws Exception {
        return mapper.readTree(json);
    }

    @Test
    void withoutASchemaNonFiniteNumbersBecomeNull() {
        CallToolResult r = results.map(Map.of("a", Double.NaN, "b", List.of(1.0, Double.POSITIVE_INFINITY)));
        assertThat(r.isError()).isNull();
        assertThat(r.structuredContent().get("a").isNull()).isTrue();
        assertThat(r.structuredContent().at("/b/1").isNull()).isTrue();
        assertThat(r.content().get(0).get("text").asText()).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void theSchemaDecidesNullAbsentOrError() throws Exception {
        JsonNode s = schema("{\"type\":\"object\",\"properties\":{\"req\":{\"type\":\"number\"},"
                + "\"opt\":{\"type\":\"number\"},\"nullable\":{\"type\":[\"number\",\"null\"]},"
                + "\"list\":{\"type\":\"array\",\"items\":{\"type\":\"number\"}}},\"required\":[\"req\",\"nullable\"]}");
        Map<String, Object> ok = new HashMap<>(Map.of("req", 1.0, "opt", Double.NaN, "nullable", Double.NEGATIVE_INFINITY));
        CallToolResult r = results.map(ok, s);
        assertThat(r.isError()).isNull();
        assertThat(r.structuredContent().has("opt")).isFalse();
        assertThat(r.structuredContent().get("nullable").isNull()).isTrue();

        CallToolResult required = results.map(Map.of("req", Double.NaN, "nullable", 1.0), s);
        assertThat(required.isError()).isTrue();
        assertThat(required.content().get(0).get("text").asText()).contains("'req'").contains("NaN");

        CallToolResult item = results.map(Map.of("req", 1.0, "nullable", 1.0, "list", List.of(Double.NaN)), s);
        assertThat(item.isError()).isTrue();
        assertThat(item.content().get(0).get("text").asText()).contains("'list[0]'");
    }

    @Test
    void aToolResultsStructuredValueIsRepairedToo() {
        CallToolResult r = results.map(ToolResult.structured(Map.of("x", Float.NaN)));
        assertThat(r.structuredContent().get("x").isNull()).isTrue();
    }

    @Test
    void aCyclicValueIsAnErrorResultWithAPlainMessage() {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        CallToolResult r = results.map(cyclic);
        assertThat(r.isError()).isTrue();
        assertThat(r.content().get(0).get("text").asText()).contains("cannot be written as JSON")
                .doesNotContain("java.").doesNotContain("Exception");
    }

    @Test
    void finiteResultsAreUntouched() {
        CallToolResult r = results.map(Map.of("a", 1.5, "b", 2));
        assertThat(r.structuredContent().get("a").asDouble()).isEqualTo(1.5);
        assertThat(r.structuredContent().get("b").asInt()).isEqualTo(2);
    }
}
