package dev.plugboard.host.store.redis;

import static dev.plugboard.host.store.redis.RedisStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import dev.plugboard.host.security.RateCounters;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.session.Sessions;
import dev.plugboard.host.store.Store;
import dev.plugboard.host.store.StoreSettings;
import dev.plugboard.host.task.TaskRecord;
import dev.plugboard.host.task.TaskStatus;
import dev.plugboard.host.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' stores over a real three-node Redis Cluster ({@code redis-server --cluster-enabled yes}
 * on loopback, joined by {@code redis-cli --cluster create}), given as
 * {@code redis-cluster://host:port,...}: sessions (whose scripts touch several keys), tasks (read
 * across slots), rate counters and revocations work as on one server.
 */
class RedisClusterTest {

    private static final Duration LONG = Duration.ofMinutes(10);
    private final ObjectMapper mapper = JsonRpcCodec.newMapper();
    private final List<RedisServer> servers = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private String url;

    @TempDir
    Path dir;

    @BeforeEach
    void startCluster() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path home = Files.createDirectories(dir.resolve("node" + i));
            RedisServer server = RedisServer.startOnFreePort(List.of("--cluster-enabled", "yes",
                    "--cluster-config-file", home.resolve("nodes.conf").toString(), "--dir", home.toString()));
            servers.add(server);
            addresses.add("127.0.0.1:" + server.port());
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        create.addAll(addresses);
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process created = new ProcessBuilder(create).redirectErrorStream(true).start();
        String out = new String(created.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(created.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(created.exitValue()).as(out).isZero();
        for (RedisServer server : servers) {
            await("cluster_state:ok at " + server.port(),
                    () -> server.cli("CLUSTER", "INFO").contains("cluster_state:ok"));
        }
        url = "redis-cluster://" + String.join(",", addresses);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        for (RedisServer server : servers) {
            server.kill();
        }
    }

    private Store store() {
        Store store = Store.open(new StoreSettings(url), mapper, LONG);
        open.add(store);
        return store;
    }

    private Sessions sessions(Store store) {
        Sessions sessions = new Sessions(LONG, 100, 100, 65536, store.sessions());
        open.add(sessions);
        return sessions;
    }

    @Test
    void sessionsAreSharedChangedAndEndedAcrossTheCluster() {
        Store a = store();
        Store b = store();
        Sessions onA = sessions(a);
        Sessions onB = sessions(b);
        var caps = JsonNodeFactory.instance.objectNode();
        caps.putObject("sampling");
        Session opened = onA.open(ProtocolVersion.V2025_11_25, new Implementation("client", null, "1"),
                new ClientCapabilities(caps), "10.0.0.1");
        opened.logLevel(LogLevel.ERROR);

        Session there = onB.find(opened.id()).orElseThrow();
        assertThat(there.logLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(there.capabilities().has("sampling")).isTrue();
        there.subscribe("file:///b.txt");
        await("node A's copy to take node B's change", () -> opened.subscriptions().contains("file:///b.txt"));

        assertThat(onB.close(opened.id())).isTrue();
        await("node A to drop its copy", opened::closed);
        assertThat(onA.find(opened.id())).isEmpty();
        a.sessions().save(opened.state());
        assertThat(onB.find(opened.id())).as("an ended session is not brought back").isEmpty();
    }

    @Test
    void tasksCountersAndRevocationsWorkAcrossSlots() {
        Store a = store();
        Store b = store();
        List<TaskRecord> changedOnA = new CopyOnWriteArrayList<>();
        a.tasks().onChangedElsewhere(changedOnA::add);
        Instant now = Instant.now();
        for (int i = 0; i < 20; i++) {
            a.tasks().create(new TaskRecord("task-" + i, "ann", "echo", "2025-11-25", TaskStatus.WORKING, null,
                    now.plusMillis(i), now.plusMillis(i), LONG, Duration.ofSeconds(1), null, null, null, null,
                    Map.of()));
        }
        List<TaskRecord> all = b.tasks().all();
        assertThat(all).hasSize(20);
        assertThat(all.getFirst().id()).as("newest first").isEqualTo("task-19");
        assertThat(b.tasks().update("task-3", t -> t.with(TaskStatus.CANCELLED, "Cancelled by its owner",
                Instant.now()))).map(TaskRecord::status).contains(TaskStatus.CANCELLED);
        await("node A to hear of the cancel", () -> changedOnA.stream().anyMatch(t -> t.id().equals("task-3")
                && t.status() == TaskStatus.CANCELLED));
        assertThat(a.tasks().get("task-3").orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(a.tasks().remove("task-3")).isTrue();
        assertThat(b.tasks().get("task-3")).isEmpty();

        RateCounters onA = a.security().orElseThrow().counters();
        RateCounters onB = b.security().orElseThrow().counters();
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += (i % 2 == 0 ? onA : onB).take("req:ann", 6, Duration.ofHours(1)) == 0 ? 1 : 0;
        }
        assertThat(admitted).as("one limit of 6 for both nodes").isEqualTo(6);

        Set<String> revokedOnB = new HashSet<>();
        b.security().orElseThrow().onRevoked(d -> {
            synchronized (revokedOnB) {
                revokedOnB.addAll(d);
            }
        });
        a.security().orElseThrow().revoke(Set.of("d1", "d2"));
        await("node B to hear of the revocation", () -> {
            synchronized (revokedOnB) {
                return revokedOnB.containsAll(Set.of("d1", "d2"));
            }
        });
    }
}
