package dev.plugboard.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.plugboard.api.McpProvider;
import dev.plugboard.api.resource.Resource;
import dev.plugboard.api.resource.ResourceTemplate;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.engine.EngineFixture;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.session.Session;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reads of resources that declare a time to live ({@code @Resource(cacheSeconds)},
 * {@code @ResourceTemplate(cacheSeconds)}) come from the in-memory store's cache of results, counted
 * as hits and misses beside the tool results.
 */
class ResourceCacheTest {

    /** Resources that count their reads. */
    @McpProvider
    public static final class Counted {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger plain = new AtomicInteger();

        @Resource(uri = "docs://cached", cacheSeconds = 600)
        public String cached() {
            return "cached " + reads.incrementAndGet();
        }

        @ResourceTemplate(uriTemplate = "docs://pages/{page}", cacheSeconds = 600)
        public String page(String page) {
            reads.incrementAndGet();
            return page.equals("missing") ? null : "page " + page + " " + reads.get();
        }

        @Resource(uri = "docs://fresh")
        public String fresh() {
            return "fresh " + plain.incrementAndGet();
        }
    }

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(30));
    private final ObjectMapper mapper = fixture.codec.mapper();
    private final Store store = Store.memory();
    private final Counted resources = new Counted();
    private Catalog.Registration registration;
    private long nextId;

    ResourceCacheTest() {
        store.relay(fixture.catalog, fixture.engine);
        registration = fixture.register(1, resources);
    }

    @AfterEach
    void stop() {
        store.close();
        fixture.close();
    }

    private JsonRpcResponse read(Session s, String uri) throws Exception {
        return fixture.engine.request(s, new JsonRpcRequest(IntNode.valueOf((int) ++nextId), "resources/read",
                mapper.readTree("{\"uri\":\"" + uri + "\"}")), MessageSink.NONE).get(10, TimeUnit.SECONDS);
    }

    private String text(Session s, String uri) throws Exception {
        JsonRpcResponse r = read(s, uri);
        assertThat(r).isInstanceOf(JsonRpcResult.class);
        JsonNode result = mapper.valueToTree(((JsonRpcResult) r).result());
        return result.at("/contents/0/text").asText();
    }

    private Session open() throws Exception {
        return fixture.engine.initialize(new JsonRpcRequest(IntNode.valueOf((int) ++nextId), "initialize",
                mapper.readTree("{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}"))).session();
    }

    private long lookups(String result) {
        var counts = fixture.engine.cacheLookups().get("resource");
        return result.equals("hit") ? counts.hits() : counts.misses();
    }

    @Test
    void aResourceWithATimeToLiveIsReadOnceAndCountedAsHitsAndMisses() throws Exception {
        Session s = open();
        assertThat(text(s, "docs://cached")).isEqualTo("cached 1");
        assertThat(text(open(), "docs://cached")).as("another session, same answer").isEqualTo("cached 1");
        assertThat(resources.reads).hasValue(1);
        assertThat(lookups("miss")).isEqualTo(1);
        assertThat(lookups("hit")).isEqualTo(1);

        // Each URI of a template is cached by itself.
        assertThat(text(s, "docs://pages/a")).isEqualTo("page a 2");
        assertThat(text(s, "docs://pages/b")).isEqualTo("page b 3");
        assertThat(text(s, "docs://pages/a")).isEqualTo("page a 2");
        assertThat(resources.reads).hasValue(3);

        // Without a time to live nothing is cached or counted.
        assertThat(text(s, "docs://fresh")).isEqualTo("fresh 1");
        assertThat(text(s, "docs://fresh")).isEqualTo("fresh 2");
        assertThat(lookups("hit") + lookups("miss")).isEqualTo(5);
        assertThat(fixture.engine.cacheLookups().get("tool").misses()).isZero();
    }

    @Test
    void aReadThatFindsNothingIsNotCached() throws Exception {
        Session s = open();
        assertThat(read(s, "docs://pages/missing")).isInstanceOf(JsonRpcError.class);
        assertThat(read(s, "docs://pages/missing")).isInstanceOf(JsonRpcError.class);
        assertThat(resources.reads).hasValue(2);
    }

    @Test
    void aChangeOfTheOwningPluginOrAnAnnouncedUpdateDropsTheCachedRead() throws Exception {
        Session s = open();
        assertThat(text(s, "docs://cached")).isEqualTo("cached 1");
        registration.close();
        registration = fixture.register(2, resources);
        assertThat(text(s, "docs://cached")).isEqualTo("cached 2");
        assertThat(text(s, "docs://cached")).isEqualTo("cached 2");

        fixture.engine.events().resourceUpdated("docs://cached");
        assertThat(text(s, "docs://cached")).isEqualTo("cached 3");
    }
}
