package dev.plugboard.host.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.tool.DuplicateTools;
import dev.plugboard.host.tool.SampleTools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class McpEngineTest {

    private final EngineFixture fixture = new EngineFixture(3, Duration.ofSeconds(30));
    private final ObjectMapper mapper = fixture.codec.mapper();
    private final Catalog catalog = fixture.catalog;
    private final McpEngine engine = fixture.engine;
    private final SampleTools sample = new SampleTools();
    private long nextId;

    McpEngineTest() {
        fixture.register(1, sample);
    }

    @AfterEach
    void stop() {
        sample.release.countDown();
        fixture.close();
    }

    private JsonRpcRequest request(String method, String params) throws Exception {
        return new JsonRpcRequest(IntNode.valueOf((int) ++nextId), method, params == null ? null : mapper.readTree(params));
    }

    private Session open(String version) throws Exception {
        McpEngine.Initialized init = engine.initialize(request("initialize",
                "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}"));
        assertThat(init.session()).isNotNull();
        return init.session();
    }

    private JsonNode result(Session s, String method, String params) throws Exception {
        JsonRpcResponse r = engine.request(s, request(method, params), MessageSink.NONE).get(10, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(JsonRpcResult.class);
        return mapper.valueToTree(((JsonRpcResult) r).result());
    }

    private JsonRpcError.Detail error(Session s, String method, String params) throws Exception {
        JsonRpcResponse r = engine.request(s, request(method, params), MessageSink.NONE).get(10, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(JsonRpcError.class);
        return ((JsonRpcError) r).error();
    }

    @Test
    void initializeEchoesASupportedVersionAndOffersTheLatestOtherwise() throws Exception {
        for (String v : List.of("2025-11-25", "2025-06-18", "2025-03-26")) {
            JsonRpcRequest r = request("initialize", "{\"protocolVersion\":\"" + v + "\",\"capabilities\":{}}");
            JsonNode result = mapper.valueToTree(((JsonRpcResult) engine.initialize(r).response()).result());
            assertThat(result.get("protocolVersion").asText()).isEqualTo(v);
        }
        JsonRpcRequest old = request("initialize", "{\"protocolVersion\":\"2024-01-01\",\"capabilities\":{}}");
        JsonNode result = mapper.valueToTree(((JsonRpcResult) engine.initialize(old).response()).result());
        assertThat(result.get("protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(result.at("/capabilities/tools/listChanged").asBoolean()).isTrue();
        assertThat(result.at("/serverInfo/name").asText()).isEqualTo("plugboard");
        assertThat(result.get("instructions").asText()).isEqualTo("Be nice");
    }

    @Test
    void initializeWithoutAVersionIsInvalidParams() throws Exception {
        McpEngine.Initialized init = engine.initialize(request("initialize", "{\"capabilities\":{}}"));
        assertThat(init.session()).isNull();
        assertThat(((JsonRpcError) init.response()).error().code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
    }

    @Test
    void requestsBeforeInitializeAreRefusedExceptPing() throws Exception {
        assertThat(engine.withoutSession(request("ping", null))).isInstanceOf(JsonRpcResult.class);
        JsonRpcResponse r = engine.withoutSession(request("tools/list", null));
        assertThat(((JsonRpcError) r).error().message()).contains("initialize");
    }

    @Test
    void pingAnswersAnEmptyObject() throws Exception {
        assertThat(result(open("2025-11-25"), "ping", null)).isEmpty();
    }

    @Test
    void secondInitializeAndUnknownMethodsAreErrors() throws Exception {
        Session s = open("2025-11-25");
        assertThat(error(s, "initialize", "{\"protocolVersion\":\"2025-11-25\"}").code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
        JsonRpcError.Detail unknown = error(s, "tools/frobnicate", null);
        assertThat(unknown.code()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND);
        assertThat(unknown.message()).contains("tools/frobnicate");
    }

    @Test
    void toolsListPagesInNameOrderWithAnOpaqueCursor() throws Exception {
        Session s = open("2025-11-25");
        List<String> names = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = result(s, "tools/list", cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}");
            page.get("tools").forEach(t -> names.add(t.get("name").asText()));
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(names).isSortedAccordingTo(String::compareTo).hasSize(catalog.tools().all().size());
        assertThat(pages).isEqualTo((catalog.tools().all().size() + 2) / 3);
    }

    @Test
    void aForgedCursorIsInvalidParams() throws Exception {
        assertThat(error(open("2025-11-25"), "tools/list", "{\"cursor\":\"%%%\"}").code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
    }

    @Test
    void clientsOfTheOldestRevisionGetNoStructuredOutput() throws Exception {
        Session old = open("2025-03-26");
        JsonNode tools = result(old, "tools/list", null);
        assertThat(tools.findValues("outputSchema")).isEmpty();
        JsonNode call = result(old, "tools/call", "{\"name\":\"weather.forecast\",\"arguments\":{\"city\":\"Rome\"}}");
        assertThat(call.has("structuredContent")).isFalse();
        JsonNode current = result(open("2025-11-25"), "tools/call", "{\"name\":\"weather.forecast\",\"arguments\":{\"city\":\"Rome\"}}");
        assertThat(current.at("/structuredContent/city").asText()).isEqualTo("Rome");
    }

    @Test
    void unknownToolsAndMissingNamesAreInvalidParams() throws Exception {
        Session s = open("2025-11-25");
        JsonRpcError.Detail unknown = error(s, "tools/call", "{\"name\":\"nope\"}");
        assertThat(unknown.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(unknown.message()).isEqualTo("Unknown tool: nope");
        assertThat(error(s, "tools/call", "{}").code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(error(s, "tools/call", "{\"name\":5}").code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(error(s, "tools/call", "{\"name\":\"work\",\"_meta\":{\"progressToken\":{}}}").code())
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
    }

    @Test
    void setLevelFiltersLogMessages() throws Exception {
        Session s = open("2025-11-25");
        assertThat(error(s, "logging/setLevel", "{\"level\":\"loud\"}").code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(result(s, "logging/setLevel", "{\"level\":\"error\"}")).isEmpty();
        BlockingQueue<JsonRpcMessage> sent = new LinkedBlockingQueue<>();
        engine.request(s, request("tools/call", "{\"name\":\"work\"}"), sent::add).get(10, TimeUnit.SECONDS);
        assertThat(sent).isEmpty();
        result(s, "logging/setLevel", "{\"level\":\"debug\"}");
        engine.request(s, request("tools/call", "{\"name\":\"work\",\"arguments\":{\"steps\":1}}"), sent::add)
                .get(10, TimeUnit.SECONDS);
        assertThat(sent).hasSize(1);
    }

    @Test
    void aCancelledRequestGetsNoResponse() throws Exception {
        Session s = open("2025-11-25");
        JsonRpcRequest call = request("tools/call", "{\"name\":\"block\"}");
        CompletableFuture<JsonRpcResponse> f = engine.request(s, call, MessageSink.NONE);
        assertThat(sample.blocked.await(10, TimeUnit.SECONDS)).isTrue();
        engine.notification(s, new JsonRpcNotification("notifications/cancelled",
                mapper.readTree("{\"requestId\":" + call.id() + ",\"reason\":\"changed my mind\"}")));
        assertThat(f).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(CancellationException.class);
    }

    @Test
    void malformedCancellationsAndUnknownNotificationsAreIgnored() throws Exception {
        Session s = open("2025-11-25");
        engine.notification(s, new JsonRpcNotification("notifications/cancelled", mapper.readTree("{\"requestId\":[]}")));
        engine.notification(s, new JsonRpcNotification("notifications/whatever", null));
        assertThat(result(s, "ping", null)).isEmpty();
    }

    @Test
    void everySessionHearsThatTheCatalogueChanged() throws Exception {
        Session a = open("2025-11-25");
        Session b = open("2025-06-18");
        BlockingQueue<JsonRpcMessage> toA = new LinkedBlockingQueue<>();
        BlockingQueue<JsonRpcMessage> toB = new LinkedBlockingQueue<>();
        a.attachStream(toA::add);
        b.attachStream(toB::add);
        Catalog.Registration more = fixture.register(2, new DuplicateTools());
        assertThat(((JsonRpcNotification) toA.poll(10, TimeUnit.SECONDS)).method())
                .isEqualTo("notifications/tools/list_changed");
        assertThat(((JsonRpcNotification) toB.poll(10, TimeUnit.SECONDS)).method())
                .isEqualTo("notifications/tools/list_changed");
        more.close();
        assertThat(toA.poll(10, TimeUnit.SECONDS)).isNotNull();
    }

}
