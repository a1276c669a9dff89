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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' session tables over one real {@code redis-server} (started on a free loopback port):
 * sharing, changes, ending, cluster-wide expiry, and an outage with a restart that loses every key.
 */
class RedisStoreTest {

    private static final Implementation CLIENT = new Implementation("client", null, "1");
    private static final Duration LONG = Duration.ofMinutes(10);

    private final ObjectMapper mapper = JsonRpcCodec.newMapper();
    private final List<AutoCloseable> open = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start(freePort());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.kill();
    }

    private record Node(Store store, Sessions sessions) {
    }

    private Node node(Duration idleTimeout) {
        Store store = Store.open(new StoreSettings("redis://127.0.0.1:" + redis.port()), mapper, idleTimeout);
        open.add(store);
        Sessions sessions = new Sessions(idleTimeout, 100, 100, 65536, store.sessions());
        open.add(sessions);
        return new Node(store, sessions);
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
        assertThat(b.sessions().find(onA.id())).isPresent();

        await("the session to expire in Redis", () -> !redis.exists("plugboard:session:" + onA.id()));

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
        long firstExpiry = redis.pttl(key);

        // Renewed while the stream stays connected: the expiry moves on instead of running out.
        await("the expiry to be renewed", () -> redis.pttl(key) > firstExpiry);
        assertThat(b.sessions().find(onA.id())).isPresent();
    }

    @Test
    void nodesServeWhatTheyHoldWhileRedisIsDownAndGiveItBackWhenItReturnsEmpty() throws Exception {
        Node a = node(LONG);
        Node b = node(LONG);
        Session held = openOn(a);

        redis.kill();
        await("node A to report Redis down", () -> !a.store().health().up());
        assertThat(a.store().health().detail()).contains("unreachable since");
        assertThat(a.sessions().find(held.id())).containsSame(held);
        assertThatThrownBy(() -> b.sessions().find(held.id())).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("try again");
        Session openedDuringOutage = openOn(a);
        openedDuringOutage.logLevel(LogLevel.WARNING);

        redis = RedisServer.start(redis.port());
        await("node A to report Redis up", () -> a.store().health().up() && b.store().health().up());
        await("node A to give Redis its sessions again", () -> redis.exists("plugboard:session:" + held.id())
                && redis.exists("plugboard:session:" + openedDuringOutage.id()));
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
        dev.plugboard.host.engine.EngineFixture fixtureA = new dev.plugboard.host.engine.EngineFixture(100, LONG);
        dev.plugboard.host.engine.EngineFixture fixtureB = new dev.plugboard.host.engine.EngineFixture(100, LONG);
        open.add(fixtureA);
        open.add(fixtureB);
        Store a = Store.open(new StoreSettings("redis://127.0.0.1:" + redis.port()), mapper, LONG);
        Store b = Store.open(new StoreSettings("redis://127.0.0.1:" + redis.port()), mapper, LONG);
        open.add(a);
        open.add(b);
        a.relay(fixtureA.catalog, fixtureA.engine);
        b.relay(fixtureB.catalog, fixtureB.engine);
        fixtureA.register(1, counted);
        var onB = fixtureB.register(1, counted);

        assertThat(square(fixtureA, 7)).isEqualTo(49);
        assertThat(square(fixtureB, 7)).isEqualTo(49);
        assertThat(counted.calls).hasValue(1);

        // An update of the plugin on node B drops every node's cached results.
        String generation = redis.cli("GET", RedisResultCache.GENERATION);
        onB.close();
        fixtureB.register(2, counted);
        await("the cache generation to move on", () -> !redis.cli("GET", RedisResultCache.GENERATION).equals(generation));
        await("node A to call the tool again", () -> {
            try {
                square(fixtureA, 7);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return counted.calls.get() == 2;
        });
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
        int nothing = freePort();
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A real redis-server process on a loopback port, saving nothing to disk. */
    record RedisServer(Process process, int port) {

        static RedisServer start(int port) throws IOException, InterruptedException {
            Process p;
            try {
                p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no").redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("redis-server is needed for this test (apt-get install -y redis-server): "
                        + e.getMessage(), e);
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null;) {
                        if (line.contains("Ready to accept connections")) {
                            ready.complete(null);
                        }
                    }
                } catch (IOException e) {
                    ready.completeExceptionally(e);
                }
                ready.completeExceptionally(new IOException("redis-server ended its output"));
            });
            try {
                ready.get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                throw new AssertionError("redis-server did not start on port " + port + ": " + e, e);
            }
            return new RedisServer(p, port);
        }

        boolean exists(String key) {
            return "1".equals(cli("EXISTS", key));
        }

        long pttl(String key) {
            return Long.parseLong(cli("PTTL", key));
        }

        String cli(String... args) {
            List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
            command.addAll(List.of(args));
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                p.waitFor();
                return out;
            } catch (IOException e) {
                throw new AssertionError("redis-cli failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
