package dev.plugboard.host.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.host.catalog.Offerings;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tool arguments mirrored into {@code Mcp-Param-*} headers: derived from {@code @Param}, checked on HTTP calls. */
class MirroredArgumentsTest {

    /** A tool whose routing arguments are mirrored. */
    public static class Routed {

        public record Target(@Param(header = "Zone") String zone, int replicas) {
        }

        @Tool(description = "Runs a query in a region")
        public String runQuery(@Param(header = "Region") String region, @Param(header = "Priority") Optional<Integer> priority,
                Optional<Target> target, String query) {
            return region + ":" + priority.orElse(0) + ":" + target.map(Target::zone).orElse("-") + ":" + query;
        }
    }

    /** Tools whose mirrored arguments break the rules. */
    public static class Misrouted {

        public record Item(@Param(header = "Item") String name) {
        }

        @Tool(description = "A number cannot be mirrored")
        public String weigh(@Param(header = "Weight") double kilograms) {
            return "";
        }

        @Tool(description = "Two headers of one name")
        public String twice(@Param(header = "Zone") String a, @Param(header = "zone") String b) {
            return "";
        }

        @Tool(description = "Not reached through properties alone")
        public String listed(List<Item> items) {
            return "";
        }

        @Tool(description = "Not a token")
        public String spaced(@Param(header = "Two Words") String a) {
            return "";
        }

        @Tool(description = "Fine")
        public String fine(@Param(header = "Fine") boolean flag) {
            return "";
        }
    }

    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{}}";

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(30));
    private final ObjectMapper mapper = fixture.codec.mapper();

    MirroredArgumentsTest() {
        fixture.register(1, new Routed());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private JsonNode call(String arguments, Map<String, String> params) throws Exception {
        JsonRpcRequest request = new JsonRpcRequest(IntNode.valueOf(1), "tools/call",
                mapper.readTree("{\"name\":\"run_query\",\"arguments\":" + arguments + "," + META + "}"));
        var headers = new McpEngine.StatelessHeaders("2026-07-28", "tools/call", "run_query", params);
        JsonRpcResponse response = fixture.engine.stateless(request, MessageSink.NONE, headers).response()
                .get(10, TimeUnit.SECONDS);
        return response instanceof JsonRpcResult ok ? mapper.valueToTree(ok.result())
                : ((ObjectNode) mapper.valueToTree(((JsonRpcError) response).error())).put("failed", true);
    }

    @Test
    void parametersAndRecordComponentsDeclareTheirHeaders() {
        JsonNode schema = fixture.catalog.tool("run_query").orElseThrow().descriptor().inputSchema();
        assertThat(schema.at("/properties/region/x-mcp-header").asText()).isEqualTo("Region");
        assertThat(schema.at("/properties/priority/x-mcp-header").asText()).isEqualTo("Priority");
        assertThat(schema.at("/properties/target/properties/zone/x-mcp-header").asText()).isEqualTo("Zone");
        assertThat(schema.at("/properties/query").has("x-mcp-header")).isFalse();
    }

    @Test
    void toolsThatBreakTheRulesAreReportedAndNotOffered() {
        Offerings found = fixture.introspector.apply(new Misrouted(), Provider.host(2));
        assertThat(found.tools()).extracting(t -> t.name()).containsExactly("fine");
        assertThat(found.problems()).hasSize(4)
                .anySatisfy(p -> assertThat(p).contains("weigh").contains("number"))
                .anySatisfy(p -> assertThat(p).contains("twice").contains("ignoring case"))
                .anySatisfy(p -> assertThat(p).contains("listed").contains("items.name"))
                .anySatisfy(p -> assertThat(p).contains("spaced").contains("HTTP token"));
    }

    @Test
    void aCallWhoseHeadersMatchItsArgumentsRuns() throws Exception {
        JsonNode ok = call("{\"region\":\"eu-west\",\"priority\":3,\"target\":{\"zone\":\"b\",\"replicas\":2},\"query\":\"q\"}",
                Map.of("region", "eu-west", "priority", "3", "zone", "b"));
        assertThat(ok.has("failed")).as("%s", ok).isFalse();
        assertThat(ok.at("/content/0/text").asText()).isEqualTo("eu-west:3:b:q");
        JsonNode encoded = call("{\"region\":\" padded \",\"query\":\"q\"}", Map.of("region", "=?base64?IHBhZGRlZCA=?="));
        assertThat(encoded.at("/content/0/text").asText()).isEqualTo(" padded :0:-:q");
    }

    @Test
    void aCallWhoseHeadersDifferIsRejectedBeforeThePluginRuns() throws Exception {
        JsonNode missing = call("{\"region\":\"eu\",\"query\":\"q\"}", Map.of());
        assertThat(missing.get("code").asInt()).isEqualTo(-32020);
        assertThat(missing.get("message").asText()).contains("Mcp-Param-Region");
        JsonNode differs = call("{\"region\":\"eu\",\"target\":{\"zone\":\"a\",\"replicas\":1},\"query\":\"q\"}",
                Map.of("region", "eu", "zone", "b"));
        assertThat(differs.get("code").asInt()).isEqualTo(-32020);
        assertThat(differs.get("message").asText()).contains("Mcp-Param-Zone").contains("target.zone");
        JsonNode stray = call("{\"region\":\"eu\",\"query\":\"q\"}", Map.of("region", "eu", "priority", "1"));
        assertThat(stray.get("code").asInt()).isEqualTo(-32020);
        assertThat(stray.get("message").asText()).contains("Mcp-Param-Priority");
    }

    @Test
    void transportsWithoutHeadersAreNotChecked() throws Exception {
        JsonRpcRequest request = new JsonRpcRequest(IntNode.valueOf(1), "tools/call",
                mapper.readTree("{\"name\":\"run_query\",\"arguments\":{\"region\":\"eu\",\"query\":\"q\"}," + META + "}"));
        JsonRpcResponse response = fixture.engine.stateless(request, MessageSink.NONE, null).response()
                .get(10, TimeUnit.SECONDS);
        assertThat(response).isInstanceOf(JsonRpcResult.class);
    }
}
