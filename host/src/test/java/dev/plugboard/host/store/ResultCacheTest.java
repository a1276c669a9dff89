package dev.plugboard.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.plugboard.api.McpProvider;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.engine.EngineFixture;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.session.Session;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Results of tools that opt in ({@code @Tool(cacheSeconds)}) come from the in-memory store's cache. */
class ResultCacheTest {

    /** Tools that count their calls. */
    @McpProvider
    public static final class Counted {
        final AtomicInteger lookups = new AtomicInteger();
        final AtomicInteger plain = new AtomicInteger();

        @Tool(description = "Looks a word up", readOnly = true, cacheSeconds = 600)
        public String lookup(@Param(description = "word") String word, @Param(description = "lang") String lang) {
            lookups.incrementAndGet();
            if (word.equals("fail")) {
                throw new IllegalArgumentException("no such word");
            }
            return word + "/" + lang + "/" + lookups.get();
        }

        @Tool(description = "Not cached", readOnly = true)
        public String fresh(@Param(description = "word") String word) {
            return word + "/" + plain.incrementAndGet();
        }
    }

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(30));
    private final ObjectMapper mapper = fixture.codec.mapper();
    private final Store store = Store.memory();
    private final Counted tools = new Counted();
    private Catalog.Registration registration;
    private long nextId;

    ResultCacheTest() {
        store.relay(fixture.catalog, fixture.engine);
        registration = fixture.register(1, tools);
    }

    @AfterEach
    void stop() {
        store.close();
        fixture.close();
    }

    private JsonNode call(Session s, String params) throws Exception {
        JsonRpcResponse r = fixture.engine.request(s, new JsonRpcRequest(IntNode.valueOf((int) ++nextId), "tools/call",
                mapper.readTree(params)), MessageSink.NONE).get(10, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(JsonRpcResult.class);
        return mapper.valueToTree(((JsonRpcResult) r).result());
    }

    private Session open() throws Exception {
        return fixture.engine.initialize(new JsonRpcRequest(IntNode.valueOf((int) ++nextId), "initialize",
                mapper.readTree("{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}"))).session();
    }

    @Test
    void sameArgumentsInAnyOrderAreAnsweredFromTheCache() throws Exception {
        Session s = open();
        JsonNode first = call(s, "{\"name\":\"lookup\",\"arguments\":{\"word\":\"cat\",\"lang\":\"en\"}}");
        JsonNode again = call(s, "{\"name\":\"lookup\",\"arguments\":{\"lang\":\"en\",\"word\":\"cat\"}}");
        assertThat(again).isEqualTo(first);
        assertThat(first.at("/content/0/text").asText()).isEqualTo("cat/en/1");
        assertThat(tools.lookups).hasValue(1);

        call(s, "{\"name\":\"lookup\",\"arguments\":{\"word\":\"cat\",\"lang\":\"fr\"}}");
        assertThat(tools.lookups).hasValue(2);
        call(s, "{\"name\":\"fresh\",\"arguments\":{\"word\":\"cat\"}}");
        call(s, "{\"name\":\"fresh\",\"arguments\":{\"word\":\"cat\"}}");
        assertThat(tools.plain).hasValue(2);
    }

    @Test
    void errorsAreNotCached() throws Exception {
        Session s = open();
        assertThat(call(s, "{\"name\":\"lookup\",\"arguments\":{\"word\":\"fail\",\"lang\":\"en\"}}")
                .path("isError").asBoolean()).isTrue();
        call(s, "{\"name\":\"lookup\",\"arguments\":{\"word\":\"fail\",\"lang\":\"en\"}}");
        assertThat(tools.lookups).hasValue(2);
    }

    @Test
    void aChangeOfTheOwningPluginDropsItsCachedResults() throws Exception {
        Session s = open();
        call(s, "{\"name\":\"lookup\",\"arguments\":{\"word\":\"cat\",\"lang\":\"en\"}}");
        registration.close();
        registration = fixture.register(2, tools);
        JsonNode after = call(s, "{\"name\":\"lookup\",\"arguments\":{\"word\":\"cat\",\"lang\":\"en\"}}");
        assertThat(after.at("/content/0/text").asText()).isEqualTo("cat/en/2");
        assertThat(tools.lookups).hasValue(2);
    }
}
