package dev.plugboard.host.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.session.Sessions;
import dev.plugboard.host.session.StoreUnavailableException;
import dev.plugboard.host.store.Store;
import dev.plugboard.host.store.StoreSettings;
import dev.plugboard.host.testsupport.RedisExtension;
import dev.plugboard.host.testsupport.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes' session tables over one real {@code redis-server} (started on a free loopback port):
 * sharing, changes, ending, cluster-wide expiry, and an outage with a restart that loses every key.
 */
class RedisStoreTest {

    private static final Implementation CLIENT = new Implementation("client", null, "1");
    private static final Duration LONG = Duration.ofMinutes(10);

    private final ObjectMapper mapper = JsonRpcCodec.newMapper();
    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    private record Node(Store store, Sessions sessions) {
    }

    private Node node(Duration idleTimeout) {
        Store store = redis.store(idleTimeout);
        Sessions sessions = redis.closeAfter(new Sessions(idleTimeout, 100, 100, 65536, store.sessions()));
        return new Node(store, sessions);
    }

    /**
     * Two nodes, each an engine whose store relays its catalogue's changes through Redis.
     *
     * @param eventsOfA what node A's plugins announce through its relay
     */
    private record RelayingNodes(dev.plugboard.host.engine.EngineFixture a, dev.plugboard.host.engine.EngineFixture b,
            dev.plugboard.api.catalog.CatalogEvents eventsOfA) {
    }

    private RelayingNodes relayingNodes() throws Exception {
        var fixtureA = redis.closeAfter(new dev.plugboard.host.engine.EngineFixture(100, LONG));
        var fixtureB = redis.closeAfter(new dev.plugboard.host.engine.EngineFixture(100, LONG));
        var eventsOfA = redis.store(LONG).relay(fixtureA.catalog, fixtureA.engine);
        redis.store(LONG).relay(fixtureB.catalog, fixtureB.engine);
        return new RelayingNodes(fixtureA, fixtureB, eventsOfA);
    }

    private static Session openOn(Node node) {
        var caps = JsonNodeFactory.instance.objectNode();
        caps.putObject("sampling");
        return node.sessions().open(ProtocolVersion.V2025_11_25, CLIENT, new ClientCapabilities(caps), "10.0.0.1");
    }

    @Test
    void aSessionOpenedOnOneNodeIsServedByAnotherWithWhatItNegotiated() {
        Node a = node(LONG);
        Node b = node(LONG);
        Session opened = openOn(a);
        opened.markInitialized();
        opened.logLevel(LogLevel.ERROR);
        opened.subscribe("file:///a.txt");

        Session there = b.sessions().find(opened.id()).orElseThrow();
        assertThat(there).isNotSameAs(opened);
        assertThat(there.version()).isEqualTo(ProtocolVersion.V2025_11_25);
        assertThat(there.client()).isEqualTo(CLIENT);
        assertThat(there.capabilities().has("sampling")).isTrue();
        assertThat(there.initialized()).isTrue();
        assertThat(there.logLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(there.subscriptions()).containsExactly("file:///a.txt");
    }

    @Test
    void aLateMessageAboutAnOlderChangeDoesNotUndoALaterOne() throws Exception {
        Node a = node(LONG);
        Node b = node(LONG);
        Session opened = openOn(a);
        opened.logLevel(LogLevel.ERROR);
        JsonNode older = mapper.readTree(redis.server().cli("GET", "plugboard:session:" + opened.id()));
        opened.subscribe("file:///a.txt");
        Session there = b.sessions().find(opened.id()).orElseThrow();

        // The message of the first change, delivered after node B loaded the second.
        ((RedisSessions) b.store().sessions()).changedElsewhere(opened.id(), older);

        assertThat(older.path("revision").asLong()).isPositive();
        assertThat(there.subscriptions()).containsExactly("file:///a.txt");
        assertThat(there.logLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(there.state().revision()).isGreaterThan(older.path("revision").asLong());
        // A newer change from elsewhere still reaches the copy.
        opened.unsubscribe("file:///a.txt");
        await("node B's copy to lose the subscription", () -> there.subscriptions().isEmpty());
    }

    @Test
    void aChangeOnOneNodeReachesTheCopiesOfTheOthers() {
        Node a = node(LONG);
        Node b = node(LONG);
        Session onA = openOn(a);
        Session onB = b.sessions().find(onA.id()).orElseThrow();

        onB.logLevel(LogLevel.DEBUG);
        onB.subscribe("file:///b.txt");

        await("node A's copy to take node B's changes", () -> onA.logLevel() == LogLevel.DEBUG
                && onA.subscriptions().contains("file:///b.txt"));
        onB.unsubscribe("file:///b.txt");
        await("node A's copy to lose the subscription", () -> onA.subscriptions().isEmpty());
    }

    @Test
    void endingASessionOnOneNodeEndsItOnEveryNodeForGood() {
        Node a = node(LONG);
        Node b = node(LONG);
        Session onA = openOn(a);
        b.sessions().find(onA.id()).orElseThrow();

        assertThat(b.sessions().close(onA.id())).isTrue();

        await("node A to drop its copy", onA::closed);
        assertThat(a.sessions().find(onA.id())).isEmpty();
        assertThat(b.sessions().find(onA.id())).isEmpty();
        assertThat(a.sessions().close(onA.id())).isFalse();
        // A node that still held it (through an outage, say) cannot bring it back.
        a.store().sessions().save(onA.state());
        assertThat(b.sessions().find(onA.id())).isEmpty();
    }

    @Test
    void anIdleSessionExpiresOnEveryNode() {
        Node a = node(Duration.ofSeconds(1));
        Node b = node(Duration.ofSeconds(1));
        Session onA = openOn(a);
        // Seen by node B without it holding a copy: a copy in use would rightly renew the session.
        assertThat(b.store().sessions().load(onA.id())).isPresent();

        await("the session to expire in Redis", () -> !redis.server().exists("plugboard:session:" + onA.id()));

        assertThat(a.sessions().find(onA.id())).isEmpty();
        assertThat(b.sessions().find(onA.id())).isEmpty();
    }

    @Test
    void aBusySessionIsKeptAliveInRedisByTheNodeServingIt() {
        Node a = node(Duration.ofSeconds(1));
        Node b = node(Duration.ofSeconds(1));
        Session onA = openOn(a);
        onA.attachStream(message -> true);
        String key = "plugboard:session:" + onA.id();
        long firstExpiry = redis.server().expiresAt(key);
        assertThat(firstExpiry).isPositive();

        // Renewed while the stream stays connected: the expiry moves on instead of running out.
        await("the expiry to be renewed", () -> redis.server().expiresAt(key) > firstExpiry);
        assertThat(b.sessions().find(onA.id())).isPresent();
    }

    @Test
    void nodesServeWhatTheyHoldWhileRedisIsDownAndGiveItBackWhenItReturnsEmpty() throws Exception {
        Node a = node(LONG);
        Node b = node(LONG);
        Session held = openOn(a);

        redis.server().kill();
        await("node A to report Redis down", () -> !a.store().health().up());
        assertThat(a.store().health().detail()).contains("unreachable since");
        assertThat(a.sessions().find(held.id())).containsSame(held);
        assertThatThrownBy(() -> b.sessions().find(held.id())).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("try again");
        Session openedDuringOutage = openOn(a);
        openedDuringOutage.logLevel(LogLevel.WARNING);

        redis.startAgain();
        await("node A to report Redis up", () -> a.store().health().up() && b.store().health().up());
        await("node A to give Redis its sessions again", () -> redis.server().exists("plugboard:session:" + held.id())
                && redis.server().exists("plugboard:session:" + openedDuringOutage.id()));
        assertThat(b.sessions().find(held.id())).isPresent();
        assertThat(b.sessions().find(openedDuringOutage.id()).orElseThrow().logLevel()).isEqualTo(LogLevel.WARNING);
    }

    /** A tool that counts its calls. */
    @dev.plugboard.api.McpProvider
    public static final class Counted {
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        @dev.plugboard.api.tool.Tool(description = "Squares", readOnly = true, cacheSeconds = 600)
        public int square(@dev.plugboard.api.tool.Param(description = "n") int n) {
            calls.incrementAndGet();
            return n * n;
        }
    }

    @Test
    void aResultCachedOnOneNodeAnswersOnAnotherUntilToolsChange() throws Exception {
        Counted counted = new Counted();
        RelayingNodes nodes = relayingNodes();
        var fixtureA = nodes.a();
        var fixtureB = nodes.b();
        fixtureA.register(1, counted);
        var onB = fixtureB.register(1, counted);

        // A result is cached without waiting, and a node hears of the other's registration (a new cache
        // generation) a moment later: wait for a number node B never squared to come from node A's cache.
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger(7);
        await("node B to answer from node A's cached result", () -> {
            try {
                int x = n.incrementAndGet();
                assertThat(square(fixtureA, x)).isEqualTo(x * x);
                int calls = counted.calls.get();
                assertThat(square(fixtureB, x)).isEqualTo(x * x);
                return counted.calls.get() == calls;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        int cached = n.get();
        int callsBefore = counted.calls.get();

        // An update of the plugin on node B drops every node's cached results.
        String generation = redis.server().cli("GET", RedisResultCache.GENERATION);
        onB.close();
        fixtureB.register(2, counted);
        await("the cache generation to move on", () -> !redis.server().cli("GET", RedisResultCache.GENERATION).equals(generation));
        await("node A to call the tool again", () -> {
            try {
                square(fixtureA, cached);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return counted.calls.get() > callsBefore;
        });
    }

    /** A resource template whose reads may be cached, counting its reads. */
    @dev.plugboard.api.McpProvider
    public static final class Pages {
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

        @dev.plugboard.api.resource.ResourceTemplate(uriTemplate = "docs://pages/{page}", cacheSeconds = 600)
        public String page(String page) {
            return "page " + page + " read " + reads.incrementAndGet();
        }
    }

    @Test
    void aResourceReadCachedOnOneNodeAnswersOnAnotherAndAnUpdateDropsIt() throws Exception {
        Pages pages = new Pages();
        RelayingNodes nodes = relayingNodes();
        var fixtureA = nodes.a();
        var fixtureB = nodes.b();
        fixtureA.register(1, pages);
        fixtureB.register(1, pages);

        // As for tool results: wait for a page node B never read to come from node A's read.
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        await("node B to answer from node A's cached read", () -> {
            try {
                String uri = "docs://pages/" + n.incrementAndGet();
                String onA = read(fixtureA, uri);
                int reads = pages.reads.get();
                return read(fixtureB, uri).equals(onA) && pages.reads.get() == reads;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(fixtureB.engine.cacheLookups().get("resource").hits()).isPositive();
        String uri = "docs://pages/" + n.get();
        String cached = read(fixtureB, uri);

        // The owning plugin announces an update on node A: the shared entry goes for both nodes.
        nodes.eventsOfA().resourceUpdated(uri);
        await("node B to read the page again", () -> {
            try {
                return !read(fixtureB, uri).equals(cached);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private String read(dev.plugboard.host.engine.EngineFixture node, String uri) throws Exception {
        var init = node.engine.initialize(new dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest(
                com.fasterxml.jackson.databind.node.IntNode.valueOf(1), "initialize", mapper.readTree(
                        "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}")));
        var response = node.engine.request(init.session(), new dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest(
                com.fasterxml.jackson.databind.node.IntNode.valueOf(2), "resources/read", mapper.readTree(
                        "{\"uri\":\"" + uri + "\"}")), dev.plugboard.host.protocol.MessageSink.NONE).get(10, TimeUnit.SECONDS);
        JsonNode result = mapper.valueToTree(((dev.plugboard.host.protocol.jsonrpc.JsonRpcResult) response).result());
        return result.at("/contents/0/text").asText();
    }

    private int square(dev.plugboard.host.engine.EngineFixture node, int n) throws Exception {
        var init = node.engine.initialize(new dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest(
                com.fasterxml.jackson.databind.node.IntNode.valueOf(1), "initialize", mapper.readTree(
                        "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}")));
        var response = node.engine.request(init.session(), new dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest(
                com.fasterxml.jackson.databind.node.IntNode.valueOf(2), "tools/call", mapper.readTree(
                        "{\"name\":\"square\",\"arguments\":{\"n\":" + n + "}}")),
                dev.plugboard.host.protocol.MessageSink.NONE).get(10, TimeUnit.SECONDS);
        JsonNode result = mapper.valueToTree(((dev.plugboard.host.protocol.jsonrpc.JsonRpcResult) response).result());
        return result.at("/structuredContent/result").asInt(result.at("/content/0/text").asInt());
    }

    @Test
    void anUnreachableRedisAtStartIsNamedInOneLine() throws Exception {
        int nothing = RedisServer.freePort();
        assertThatThrownBy(() -> Store.open(new StoreSettings("redis://127.0.0.1:" + nothing), mapper, LONG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("setting 'store.redis.url': cannot connect to redis://127.0.0.1:" + nothing);
        assertThatThrownBy(() -> Store.open(new StoreSettings("http://nope"), mapper, LONG))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("setting 'store.redis.url'");
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
