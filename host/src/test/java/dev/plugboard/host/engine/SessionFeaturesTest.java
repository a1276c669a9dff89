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
import dev.plugboard.host.session.Session;
import dev.plugboard.host.tool.SampleFeatures;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resources, prompts, completion, subscriptions and requests to the client, in a 2025-11-25 session. */
class SessionFeaturesTest {

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(30));
    private final McpEngine engine = fixture.engine;
    private final ObjectMapper mapper = fixture.codec.mapper();
    private int ids;

    SessionFeaturesTest() {
        fixture.register(1, new SampleFeatures());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private Session open(String capabilities) throws Exception {
        return engine.initialize(request("initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":"
                + capabilities + "}")).session();
    }

    private JsonRpcRequest request(String method, String params) throws Exception {
        return new JsonRpcRequest(IntNode.valueOf(++ids), method, params == null ? null : mapper.readTree(params));
    }

    private JsonNode call(Session s, String method, String params) throws Exception {
        JsonRpcResponse r = engine.request(s, request(method, params), MessageSink.NONE).get(10, TimeUnit.SECONDS);
        return r instanceof JsonRpcResult ok ? mapper.valueToTree(ok.result())
                : ((ObjectNode) mapper.valueToTree(((JsonRpcError) r).error())).put("failed", true);
    }

    @Test
    void resourcesAndTemplatesAreListedAndRead() throws Exception {
        Session s = open("{}");
        JsonNode list = call(s, "resources/list", null);
        assertThat(list.get("resources")).extracting(r -> r.get("uri").asText()).containsExactly("docs://logo", "docs://readme");
        assertThat(list.at("/resources/1/mimeType").asText()).isEqualTo("text/markdown");
        assertThat(call(s, "resources/templates/list", null).at("/resourceTemplates/0/uriTemplate").asText())
                .isEqualTo("cities://{name}");
        assertThat(call(s, "resources/read", "{\"uri\":\"docs://readme\"}").at("/contents/0/text").asText()).isEqualTo("# Hello");
        assertThat(call(s, "resources/read", "{\"uri\":\"docs://logo\"}").at("/contents/0/blob").asText()).isEqualTo("AQID");
        JsonNode city = call(s, "resources/read", "{\"uri\":\"cities://oslo\"}").at("/contents/0");
        assertThat(city.get("mimeType").asText()).isEqualTo("application/json");
        assertThat(mapper.readTree(city.get("text").asText()).get("population").asInt()).isEqualTo(4000);
    }

    @Test
    void aMissingResourceIsMinus32002WithItsUri() throws Exception {
        Session s = open("{}");
        for (String uri : new String[] {"cities://atlantis", "nothing://here"}) {
            JsonNode error = call(s, "resources/read", "{\"uri\":\"" + uri + "\"}");
            assertThat(error.get("code").asInt()).isEqualTo(-32002);
            assertThat(error.at("/data/uri").asText()).isEqualTo(uri);
        }
    }

    @Test
    void promptsRenderTheirArgumentsAndCheckThem() throws Exception {
        Session s = open("{}");
        JsonNode prompts = call(s, "prompts/list", null).get("prompts");
        JsonNode review = prompts.get(0);
        assertThat(review.get("name").asText()).isEqualTo("review");
        assertThat(review.get("arguments")).extracting(a -> a.get("name").asText() + ":" + a.get("required").asBoolean())
                .containsExactly("code:true", "language:false");
        JsonNode got = call(s, "prompts/get", "{\"name\":\"review\",\"arguments\":{\"code\":\"x=1\",\"language\":\"py\"}}");
        assertThat(got.get("description").asText()).isEqualTo("Review of py");
        assertThat(got.get("messages")).extracting(m -> m.get("role").asText()).containsExactly("user", "user", "assistant");
        assertThat(got.at("/messages/1/content/text").asText()).isEqualTo("x=1");
        assertThat(call(s, "prompts/get", "{\"name\":\"review\"}").get("message").asText()).contains("'code' is required");
        assertThat(call(s, "prompts/get", "{\"name\":\"review\",\"arguments\":{\"code\":\"x\",\"colour\":\"red\"}}")
                .get("message").asText()).contains("'colour' is not a known argument");
        assertThat(call(s, "prompts/get", "{\"name\":\"nope\"}").get("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void completionComesFromThePluginThatOwnsTheArgument() throws Exception {
        Session s = open("{}");
        JsonNode cities = call(s, "completion/complete",
                "{\"ref\":{\"type\":\"ref/resource\",\"uri\":\"cities://{name}\"},\"argument\":{\"name\":\"name\",\"value\":\"p\"}}");
        assertThat(cities.at("/completion/values")).extracting(JsonNode::asText).containsExactly("paris", "prague", "porto");
        assertThat(cities.at("/completion/total").asInt()).isEqualTo(3);
        JsonNode languages = call(s, "completion/complete",
                "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"review\"},\"argument\":{\"name\":\"language\",\"value\":\"js\"}}");
        assertThat(languages.at("/completion/values")).extracting(JsonNode::asText).containsExactly("json");
        JsonNode none = call(s, "completion/complete",
                "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"review\"},\"argument\":{\"name\":\"code\",\"value\":\"\"}}");
        assertThat(none.at("/completion/values")).isEmpty();
        assertThat(call(s, "completion/complete", "{\"ref\":{\"type\":\"ref/bogus\"},\"argument\":{\"name\":\"a\"}}")
                .get("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void subscribersHearOfUpdatesToTheirResourcesOnly() throws Exception {
        Session a = open("{}");
        Session b = open("{}");
        BlockingQueue<JsonRpcMessage> toA = new LinkedBlockingQueue<>();
        BlockingQueue<JsonRpcMessage> toB = new LinkedBlockingQueue<>();
        // The fixture's set-up announced list changes, which may reach the sessions late (on a thread
        // of their own): this test is about resource updates only.
        a.attachStream(m -> listChanged(m) || toA.add(m));
        b.attachStream(m -> listChanged(m) || toB.add(m));
        assertThat(call(a, "resources/subscribe", "{\"uri\":\"docs://readme\"}")).isEmpty();
        assertThat(call(a, "resources/subscribe", "{\"uri\":\"docs://missing\"}").get("code").asInt()).isEqualTo(-32002);
        // An update goes out to every subscribed session on the announcing thread, before it returns.
        engine.events().resourceUpdated("docs://readme");
        JsonNode update = mapper.valueToTree(toA.poll(10, TimeUnit.SECONDS));
        assertThat(update.get("method").asText()).isEqualTo("notifications/resources/updated");
        assertThat(update.at("/params/uri").asText()).isEqualTo("docs://readme");
        assertThat(toB).isEmpty();
        assertThat(call(a, "resources/unsubscribe", "{\"uri\":\"docs://readme\"}")).isEmpty();
        engine.events().resourceUpdated("docs://readme");
        assertThat(toA).as("no update after unsubscribing").isEmpty();
    }

    private static boolean listChanged(JsonRpcMessage m) {
        return m instanceof JsonRpcNotification n && n.method().endsWith("/list_changed");
    }

    @Test
    void aToolAsksTheClientThroughServerRequestsOnItsStream() throws Exception {
        Session s = open("{\"elicitation\":{},\"sampling\":{},\"roots\":{}}");
        BlockingQueue<JsonRpcMessage> stream = new LinkedBlockingQueue<>();
        CompletableFuture<JsonRpcResponse> f = engine.request(s, request("tools/call", "{\"name\":\"ask_many\"}"), stream::add);
        for (int round = 0; round < 2; round++) {
            int expected = round == 0 ? 3 : 1;
            for (int i = 0; i < expected; i++) {
                JsonRpcRequest asked = (JsonRpcRequest) stream.poll(10, TimeUnit.SECONDS);
                assertThat(asked).as("request %d of round %d", i, round).isNotNull();
                String result = switch (asked.method()) {
                    case "elicitation/create" -> asked.params().at("/requestedSchema/properties").has("colour")
                            ? "{\"action\":\"accept\",\"content\":{\"colour\":\"teal\"}}"
                            : "{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}";
                    case "sampling/createMessage" -> "{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"roses\"},\"model\":\"m\"}";
                    case "roots/list" -> "{\"roots\":[{\"uri\":\"file:///a\"},{\"uri\":\"file:///b\",\"name\":\"b\"}]}";
                    default -> throw new AssertionError(asked.method());
                };
                engine.response(s, new JsonRpcResult(asked.id(), mapper.readTree(result)));
            }
        }
        JsonRpcResult done = (JsonRpcResult) f.get(10, TimeUnit.SECONDS);
        assertThat(mapper.valueToTree(done.result()).at("/content/0/text").asText()).isEqualTo("Ada/roses/2/teal");
    }

    @Test
    void aClientThatRefusesOrLacksTheCapabilityEndsTheCallWithAnError() throws Exception {
        Session lacking = open("{}");
        JsonNode result = call(lacking, "tools/call", "{\"name\":\"ask_name\"}");
        assertThat(result.get("isError").asBoolean()).isTrue();
        assertThat(result.at("/content/0/text").asText()).contains("elicitation");

        Session refusing = open("{\"elicitation\":{}}");
        BlockingQueue<JsonRpcMessage> stream = new LinkedBlockingQueue<>();
        CompletableFuture<JsonRpcResponse> f = engine.request(refusing, request("tools/call", "{\"name\":\"ask_name\"}"),
                stream::add);
        JsonRpcRequest asked = (JsonRpcRequest) stream.poll(10, TimeUnit.SECONDS);
        engine.response(refusing, JsonRpcError.of(asked.id(), -1, "user closed the dialog", null));
        JsonNode refused = mapper.valueToTree(((JsonRpcResult) f.get(10, TimeUnit.SECONDS)).result());
        assertThat(refused.get("isError").asBoolean()).isTrue();
        assertThat(refused.at("/content/0/text").asText()).contains("user closed the dialog");
    }

    @Test
    void promptsCanAskTheClientToo() throws Exception {
        Session s = open("{\"elicitation\":{}}");
        BlockingQueue<JsonRpcMessage> stream = new LinkedBlockingQueue<>();
        CompletableFuture<JsonRpcResponse> f = engine.request(s, request("prompts/get", "{\"name\":\"topic\"}"), stream::add);
        JsonRpcRequest asked = (JsonRpcRequest) stream.poll(10, TimeUnit.SECONDS);
        engine.response(s, new JsonRpcResult(asked.id(), mapper.readTree("{\"action\":\"accept\",\"content\":{\"topic\":\"owls\"}}")));
        JsonNode got = mapper.valueToTree(((JsonRpcResult) f.get(10, TimeUnit.SECONDS)).result());
        assertThat(got.at("/messages/0/content/text").asText()).isEqualTo("Tell me about owls");
    }

    @Test
    void capabilitiesAdvertiseEveryFeature() throws Exception {
        var init = engine.initialize(request("initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{}}"));
        JsonNode caps = mapper.valueToTree(((JsonRpcResult) init.response()).result()).get("capabilities");
        assertThat(caps.at("/resources/subscribe").asBoolean()).isTrue();
        assertThat(caps.at("/prompts/listChanged").asBoolean()).isTrue();
        assertThat(caps.has("completions")).isTrue();
        assertThat(caps.has("logging")).isTrue();
    }
}
