package dev.plugboard.bench.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.bench.mcp.CheckFailed;
import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.report.Spread;
import dev.plugboard.bench.servers.Layout;
import dev.plugboard.bench.servers.Servers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Start-up: from spawning the process to {@code /health/ready} answering 200 (Plugboard, with every
 * first-party bundle) and to the first {@code initialize} answered (every server, the comparable
 * figure). Plugboard is measured on its first start (a fresh distribution: empty data folder, no
 * class-data archive written by a run yet, only the one the build ships in {@code cds/} if any) and on
 * later starts (the archive and data folder of a previous run present).
 */
public final class Startup {

    /**
     * Start-up times of one server, in milliseconds.
     *
     * @param server the server and the case
     * @param toReady to {@code /health/ready} (Plugboard only), or null
     * @param toInitialize to the first {@code initialize} answered
     */
    public record Result(String server, Spread toReady, Spread toInitialize) {
    }

    private static final Duration LIMIT = Duration.ofSeconds(120);

    private final Servers servers;
    private final ObjectMapper mapper;

    /**
     * @param servers starts the servers
     * @param mapper reads and writes JSON
     */
    public Startup(Servers servers, ObjectMapper mapper) {
        this.servers = servers;
        this.mapper = mapper;
    }

    /**
     * Plugboard's first start: no class-data archive written by a run, empty data folder; each run
     * starts afresh, as a fresh distribution would (with the archive its build ships).
     */
    public Result plugboardFirstStart(int runs) throws IOException, InterruptedException {
        List<Double> ready = new ArrayList<>();
        List<Double> initialize = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            deleteArchives();
            Path data = servers.layout().work().resolve("startup/first-data");
            Layout.deleteTree(data);
            measurePlugboard("startup-first", data, ready, initialize);
        }
        return new Result("Plugboard, first start", Spread.of(ready), Spread.of(initialize));
    }

    /** Plugboard's later starts: the archive and data folder of a previous start are there. */
    public Result plugboardRestart(int runs) throws IOException, InterruptedException {
        Path data = servers.layout().work().resolve("startup/warm-data");
        measurePlugboard("startup-warm", data, new ArrayList<>(), new ArrayList<>());
        List<Double> ready = new ArrayList<>();
        List<Double> initialize = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            measurePlugboard("startup-warm", data, ready, initialize);
        }
        return new Result("Plugboard, restart", Spread.of(ready), Spread.of(initialize));
    }

    /** A peer's start to its first {@code initialize} answered. */
    public Result peer(Servers.Peer peer, String label, int runs) throws IOException, InterruptedException {
        List<Double> initialize = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (Servers.Running running = servers.launchPeer(peer, "startup-" + peer.name().toLowerCase(),
                    Servers.freePort())) {
                initialize.add(millisToInitialize(running));
            }
        }
        return new Result(label, null, Spread.of(initialize));
    }

    private void measurePlugboard(String name, Path data, List<Double> ready, List<Double> initialize)
            throws IOException, InterruptedException {
        Path deploy = servers.deployFolder(name, servers.layout().firstPartyBundles());
        try (Servers.Running running = servers.launchPlugboard(name, deploy, data, Map.of(), Map.of(),
                Servers.freePort())) {
            // Both polled from the spawn at once, so that neither figure waits for the other.
            CompletableFuture<Double> toReady = CompletableFuture.supplyAsync(() -> {
                try {
                    return running.process().awaitHttp200(running.health(), LIMIT).toNanos() / 1e6;
                } catch (IOException | InterruptedException e) {
                    throw new CompletionException(e);
                }
            }, task -> Thread.ofVirtual().start(task));
            initialize.add(millisToInitialize(running));
            try {
                ready.add(toReady.get());
            } catch (ExecutionException e) {
                throw new IOException(name + " did not become ready", e.getCause());
            }
        }
    }

    /**
     * Tries {@code initialize} every few milliseconds from the process's start until it is answered,
     * the same way for every server.
     */
    private double millisToInitialize(Servers.Running running) throws IOException, InterruptedException {
        long started = running.process().startedNanos();
        long deadline = started + LIMIT.toNanos();
        URI mcp = running.mcp();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(200)).build()) {
            while (System.nanoTime() < deadline) {
                try (McpClient client = new McpClient(http, mcp, McpClient.Era.SESSIONS, mapper)) {
                    client.open();
                    return (System.nanoTime() - started) / 1e6;
                } catch (IOException | CheckFailed notYet) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
        }
        throw new IOException(running.process().name() + " did not answer initialize within " + LIMIT);
    }

    private void deleteArchives() throws IOException {
        Path cds = servers.layout().distribution().resolve("data/cds");
        if (Files.isDirectory(cds)) {
            Layout.deleteTree(cds);
        }
    }
}
