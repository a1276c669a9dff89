package dev.plugboard.host.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.tool.SampleFeatures;
import dev.plugboard.host.tool.SampleTools;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stateless revision: checks in order, result shape, discovery, input-required rounds, listening. */
class StatelessTest {

    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":%s}";

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(30));
    private final McpEngine engine = fixture.engine;
    private final ObjectMapper mapper = fixture.codec.mapper();
    private int ids;

    StatelessTest() {
        fixture.register(1, new SampleFeatures());
        fixture.register(2, new SampleTools());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private JsonRpcRequest request(String method, String params) throws Exception {
        return new JsonRpcRequest(IntNode.valueOf(++ids), method, mapper.readTree(params));
    }

    private static String meta(String capabilities) {
        return META.formatted(capabilities);
    }

    private JsonNode answer(JsonRpcRequest r, McpEngine.StatelessHeaders headers) throws Exception {
        JsonRpcResponse response = engine.stateless(r, MessageSink.NONE, headers).response().get(10, TimeUnit.SECONDS);
        return response instanceof JsonRpcResult ok ? mapper.valueToTree(ok.result())
                : ((ObjectNode) mapper.valueToTree(((JsonRpcError) response).error())).put("failed", true);
    }

    private JsonNode answer(String method, String params) throws Exception {
        return answer(request(method, params), null);
    }

    @Test
    void checksRunInTheOrderClientsRelyOn() throws Exception {
        var h = new McpEngine.StatelessHeaders(null, "tools/list", null);
        assertThat(answer(request("tools/list", "{" + meta("{}") + "}"), h).get("code").asInt()).isEqualTo(-32020);
        h = new McpEngine.StatelessHeaders("2026-07-28", "tools/list", null);
        assertThat(answer(request("tools/list", "{}"), h).get("code").asInt()).isEqualTo(-32602);
        assertThat(answer(request("tools/list", "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}"), h)
                .get("code").asInt()).isEqualTo(-32602);
        String v999 = "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"v999\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}";
        assertThat(answer(request("tools/list", v999), h).get("code").asInt()).isEqualTo(-32020);
        JsonNode unsupported = answer(request("tools/list", v999), new McpEngine.StatelessHeaders("v999", "tools/list", null));
        assertThat(unsupported.get("code").asInt()).isEqualTo(-32022);
        assertThat(unsupported.at("/data/requested").asText()).isEqualTo("v999");
        assertThat(answer(request("tools/list", "{" + meta("{}") + "}"), new McpEngine.StatelessHeaders("2026-07-28",
                "prompts/list", null)).get("code").asInt()).isEqualTo(-32020);
        assertThat(answer(request("tools/call", "{\"name\":\"work\"," + meta("{}") + "}"),
                new McpEngine.StatelessHeaders("2026-07-28", "tools/call", null)).get("code").asInt()).isEqualTo(-32020);
        assertThat(answer(request("tools/call", "{\"name\":\"work\"," + meta("{}") + "}"),
                new McpEngine.StatelessHeaders(" 2026-07-28 ", "tools/call", "  work ")).get("resultType").asText())
                .isEqualTo("complete");
    }

    @Test
    void removedMethodsAreNotFound() throws Exception {
        for (String method : new String[] {"initialize", "ping", "logging/setLevel", "resources/subscribe"}) {
            assertThat(answer(method, "{" + meta("{}") + "}").get("code").asInt()).as(method).isEqualTo(-32601);
        }
    }

    @Test
    void resultsCarryTheirTypeTheServerAndCachingHints() throws Exception {
        JsonNode tools = answer("tools/list", "{" + meta("{}") + "}");
        assertThat(tools.get("resultType").asText()).isEqualTo("complete");
        assertThat(tools.get("ttlMs").asLong()).isEqualTo(10_000);
        assertThat(tools.get("cacheScope").asText()).isEqualTo("public");
        assertThat(tools.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asText()).isEqualTo("plugboard");
        JsonNode read = answer("resources/read", "{\"uri\":\"docs://readme\"," + meta("{}") + "}");
        assertThat(read.get("cacheScope").asText()).isEqualTo("private");
        JsonNode call = answer("tools/call", "{\"name\":\"greet_person\",\"arguments\":{\"name\":\"Z\"}," + meta("{}") + "}");
        assertThat(call.get("resultType").asText()).isEqualTo("complete");
        assertThat(call.has("ttlMs")).isFalse();
    }

    @Test
    void discoverListsBothErasAndEveryCapability() throws Exception {
        JsonNode d = answer("server/discover", "{" + meta("{}") + "}");
        assertThat(d.get("supportedVersions")).extracting(JsonNode::asText).contains("2026-07-28", "2025-11-25");
        assertThat(d.at("/capabilities/tools/listChanged").asBoolean()).isTrue();
        assertThat(d.get("instructions").asText()).isEqualTo("Be nice");
    }

    @Test
    void aMissingResourceIsInvalidParamsWithItsUri() throws Exception {
        JsonNode e = answer("resources/read", "{\"uri\":\"cities://atlantis\"," + meta("{}") + "}");
        assertThat(e.get("code").asInt()).isEqualTo(-32602);
        assertThat(e.at("/data/uri").asText()).isEqualTo("cities://atlantis");
    }

    @Test
    void inputIsGatheredOverRoundsWithASealedState() throws Exception {
        String caps = meta("{\"elicitation\":{},\"sampling\":{},\"roots\":{}}");
        JsonNode r1 = answer("tools/call", "{\"name\":\"ask_many\"," + caps + "}");
        assertThat(r1.get("resultType").asText()).isEqualTo("input_required");
        assertThat(r1.get("inputRequests").properties()).extracting(e -> e.getKey() + "=" + e.getValue().get("method").asText())
                .containsExactly("name=elicitation/create", "poem=sampling/createMessage", "roots=roots/list");
        assertThat(r1.has("ttlMs")).isFalse();
        String state1 = r1.get("requestState").asText();

        JsonNode r2 = answer("tools/call", "{\"name\":\"ask_many\"," + caps + ",\"requestState\":\"" + state1 + "\","
                + "\"inputResponses\":{\"name\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}},"
                + "\"poem\":{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"roses\"},\"model\":\"m\"},"
                + "\"roots\":{\"roots\":[{\"uri\":\"file:///x\"}]},\"extra\":{\"ignored\":true}}}");
        assertThat(r2.get("resultType").asText()).isEqualTo("input_required");
        assertThat(r2.get("inputRequests").fieldNames()).toIterable().containsExactly("colour");
        String state2 = r2.get("requestState").asText();
        assertThat(state2).isNotEqualTo(state1);

        JsonNode r3 = answer("tools/call", "{\"name\":\"ask_many\"," + caps + ",\"requestState\":\"" + state2 + "\","
                + "\"inputResponses\":{\"colour\":{\"action\":\"accept\",\"content\":{\"colour\":\"teal\"}}}}");
        assertThat(r3.get("resultType").asText()).isEqualTo("complete");
        assertThat(r3.at("/content/0/text").asText()).isEqualTo("Ada/roses/1/teal");
    }

    @Test
    void tamperedStatesAndMalformedAnswersAreRefused() throws Exception {
        String caps = meta("{\"elicitation\":{}}");
        String state = answer("tools/call", "{\"name\":\"ask_name\"," + caps + "}").get("requestState").asText();
        JsonNode tampered = answer("tools/call", "{\"name\":\"ask_name\"," + caps + ",\"requestState\":\"" + state
                + "-TAMPERED\",\"inputResponses\":{\"elicitation-1\":{\"action\":\"accept\",\"content\":{\"name\":\"X\"}}}}");
        assertThat(tampered.get("code").asInt()).isEqualTo(-32602);
        JsonNode wrongRequest = answer("prompts/get", "{\"name\":\"topic\"," + caps + ",\"requestState\":\"" + state + "\"}");
        assertThat(wrongRequest.get("message").asText()).contains("another request");
        JsonNode malformed = answer("tools/call", "{\"name\":\"ask_name\"," + caps
                + ",\"inputResponses\":{\"elicitation-1\":12345}}");
        assertThat(malformed.get("code").asInt()).isEqualTo(-32602);
        JsonNode badAction = answer("tools/call", "{\"name\":\"ask_name\"," + caps
                + ",\"inputResponses\":{\"elicitation-1\":{\"action\":\"maybe\"}}}");
        assertThat(badAction.get("message").asText()).contains("accept, decline or cancel");
        JsonNode nullResponses = answer("tools/call", "{\"name\":\"ask_name\"," + caps + ",\"inputResponses\":null}");
        assertThat(nullResponses.get("resultType").asText()).isEqualTo("input_required");
    }

    @Test
    void anUndeclaredCapabilityIsMinus32021AndNeverRequested() throws Exception {
        JsonNode e = answer("tools/call", "{\"name\":\"ask_name\"," + meta("{}") + "}");
        assertThat(e.get("code").asInt()).isEqualTo(-32021);
        assertThat(e.at("/data/requiredCapabilities/elicitation").isObject()).isTrue();
        JsonNode sampling = answer("tools/call", "{\"name\":\"needs_sampling\"," + meta("{}") + "}");
        assertThat(sampling.at("/data/requiredCapabilities").has("sampling")).isTrue();
    }

    @Test
    void logsAreSentOnlyWhenTheRequestAsksForThem() throws Exception {
        BlockingQueue<JsonRpcMessage> sink = new LinkedBlockingQueue<>();
        engine.stateless(request("tools/call", "{\"name\":\"work\",\"arguments\":{\"steps\":1}," + meta("{}") + "}"),
                sink::add, null).response().get(10, TimeUnit.SECONDS);
        assertThat(sink).isEmpty();
        String withLevel = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{},\"io.modelcontextprotocol/logLevel\":\"info\","
                + "\"progressToken\":\"t\"}";
        engine.stateless(request("tools/call", "{\"name\":\"work\",\"arguments\":{\"steps\":1}," + withLevel + "}"),
                sink::add, null).response().get(10, TimeUnit.SECONDS);
        assertThat(sink).extracting(m -> ((JsonRpcNotification) m).method())
                .containsExactly("notifications/progress", "notifications/message");
    }

    @Test
    void listenersAreAcknowledgedAndHearOnlyWhatTheyAskedForTaggedWithTheirId() throws Exception {
        BlockingQueue<JsonRpcMessage> tools = new LinkedBlockingQueue<>();
        BlockingQueue<JsonRpcMessage> prompts = new LinkedBlockingQueue<>();
        var a = engine.listen(request("subscriptions/listen", "{\"notifications\":{\"toolsListChanged\":true,"
                + "\"resourceSubscriptions\":[\"docs://readme\"],\"bogus\":true}," + meta("{}") + "}"), tools::add, null);
        var b = engine.listen(request("subscriptions/listen", "{\"notifications\":{\"promptsListChanged\":true},"
                + meta("{}") + "}"), prompts::add, null);
        assertThat(a.refusal()).isNull();
        JsonNode ack = mapper.valueToTree(tools.poll(10, TimeUnit.SECONDS));
        assertThat(ack.get("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");
        assertThat(ack.at("/params/notifications")).isEqualTo(mapper.readTree(
                "{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"docs://readme\"]}"));
        assertThat(ack.at("/params/_meta/io.modelcontextprotocol~1subscriptionId").asInt()).isEqualTo(ids - 1);
        prompts.poll(10, TimeUnit.SECONDS);

        engine.events().toolsChanged();
        engine.events().resourceUpdated("docs://readme");
        JsonNode changed = mapper.valueToTree(tools.poll(10, TimeUnit.SECONDS));
        JsonNode updated = mapper.valueToTree(tools.poll(10, TimeUnit.SECONDS));
        assertThat(java.util.List.of(changed.get("method").asText(), updated.get("method").asText()))
                .containsExactlyInAnyOrder("notifications/tools/list_changed", "notifications/resources/updated");
        assertThat(changed.at("/params/_meta/io.modelcontextprotocol~1subscriptionId").asInt()).isEqualTo(ids - 1);
        assertThat(prompts.poll(200, TimeUnit.MILLISECONDS)).isNull();
        a.handle().close();
        b.handle().close();
        // A change the fixture's set-up announced may have reached the listener late: whatever came
        // before the close is not what this part checks.
        tools.clear();
        BlockingQueue<JsonRpcMessage> witness = new LinkedBlockingQueue<>();
        var c = engine.listen(request("subscriptions/listen", "{\"notifications\":{\"toolsListChanged\":true},"
                + meta("{}") + "}"), witness::add, null);
        witness.poll(10, TimeUnit.SECONDS);
        engine.events().toolsChanged();
        JsonNode heard = mapper.valueToTree(witness.poll(10, TimeUnit.SECONDS));
        assertThat(heard.get("method").asText()).isEqualTo("notifications/tools/list_changed");
        assertThat(tools).as("a closed listener hears nothing of a change the open one heard").isEmpty();
        assertThat(prompts).isEmpty();
        c.handle().close();
    }

    @Test
    void aListenWithoutMetaIsRefused() throws Exception {
        var refused = engine.listen(request("subscriptions/listen", "{\"notifications\":{}}"), m -> true, null);
        assertThat(refused.refusal().error().code()).isEqualTo(-32602);
    }
}
