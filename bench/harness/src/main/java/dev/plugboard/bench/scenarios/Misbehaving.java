package dev.plugboard.bench.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.bench.mcp.CheckFailed;
import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.report.Latencies;
import dev.plugboard.bench.servers.Servers;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stable tool's latency (the echo bundle) alone and while another plugin of the same server runs
 * 2, 8 and 64 misbehaving calls that ignore interrupts (spinning the CPU, or waiting, until the
 * scenario opens their gate after the measurement), and whether
 * {@code /health/ready} answered meanwhile. The server runs on the whole machine, as a deployment
 * would.
 */
public final class Misbehaving {

    /** Echo clients of the stable tool. */
    public static final int CLIENTS = 4;
    private static final String PLUGIN = "dev.plugboard.fixtures.misbehaving";

    /**
     * One load of misbehaving calls.
     *
     * @param kind {@code spin} (CPU-bound) or {@code hang} (waiting)
     * @param calls misbehaving calls running during the measurement
     * @param echo the stable tool's latency meanwhile
     * @param echoErrors failed echo calls
     * @param p99RatioToAlone the stable tool's p99 over its p99 alone
     * @param healthAsked health requests sent during the measurement (one every 100 ms)
     * @param healthAnswered of those, answered 200 within 5 s
     * @param healthMaxMillis the slowest health answer
     */
    public record Row(String kind, int calls, Latencies echo, long echoErrors, double p99RatioToAlone, int healthAsked,
            int healthAnswered, double healthMaxMillis) {
    }

    /**
     * @param clients echo clients
     * @param alone the stable tool's latency with nothing else running
     * @param rows one per kind and number of misbehaving calls
     */
    public record Result(int clients, Latencies alone, List<Row> rows) {
    }

    private final Servers servers;
    private final ObjectMapper mapper;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param servers starts the server
     * @param mapper reads and writes JSON
     * @param progress where one line per run goes
     */
    public Misbehaving(Servers servers, ObjectMapper mapper, PrintStream progress) {
        this.servers = servers;
        this.mapper = mapper;
        this.progress = progress;
    }

    /** Runs the stable tool alone, then beside each number of misbehaving calls of each kind. */
    public Result run(Path echoBundle, Path misbehavingBundle, Path data, List<Integer> counts, Duration warmup,
            Duration measured) throws IOException, InterruptedException {
        LoadGenerator load = new LoadGenerator(mapper);
        try (Servers.Running pb = servers.plugboard("plugboard-misbehaving", List.of(echoBundle, misbehavingBundle),
                data, Map.of("tools.timeoutSeconds", "600", "plugins.maxStuckCalls", "100000"))) {
            // No time limit and no degrading during the runs: a misbehaving call whose client gave up
            // (after 30 s on a machine that 64 spinning threads slow down) is stuck until its gate opens.
            load.run(pb.mcp(), McpClient.Era.SESSIONS, pb.process(), CLIENTS, Duration.ofSeconds(10),
                    Duration.ofMillis(1));
            LoadGenerator.Result alone = load.run(pb.mcp(), McpClient.Era.SESSIONS, pb.process(), CLIENTS, warmup,
                    measured);
            progress.printf(Locale.ROOT, "  alone: p50 %.2f ms  p99 %.2f ms%n", alone.latency().p50(),
                    alone.latency().p99());
            List<Row> rows = new ArrayList<>();
            for (String kind : List.of("spin", "hang")) {
                for (int n : counts) {
                    rows.add(beside(pb, data, load, alone.latency(), kind, n, warmup, measured));
                    Row r = rows.get(rows.size() - 1);
                    progress.printf(Locale.ROOT, "  %2d %s calls: p50 %.2f ms  p99 %.2f ms (%.2f× alone)  health %d/%d,"
                            + " slowest %.0f ms%n", n, kind, r.echo().p50(), r.echo().p99(), r.p99RatioToAlone(),
                            r.healthAnswered(), r.healthAsked(), r.healthMaxMillis());
                }
            }
            return new Result(CLIENTS, alone.latency(), rows);
        }
    }

    private Row beside(Servers.Running pb, Path data, LoadGenerator load, Latencies alone, String kind, int n,
            Duration warmup, Duration measured) throws IOException, InterruptedException {
        String gate = "bench-" + kind + "-" + n + "-" + System.nanoTime();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                calls.add(CompletableFuture.runAsync(() -> misbehave(pb.mcp(), kind, gate), callers));
            }
            awaitRunning(pb.health(), data, running -> running >= n, n + " misbehaving calls to start");
            AtomicBoolean measuring = new AtomicBoolean(true);
            int[] asked = {0};
            int[] answered = {0};
            double[] slowest = {0};
            Thread prober = Thread.ofPlatform().name("health-prober").start(() -> {
                while (measuring.get()) {
                    long start = System.nanoTime();
                    asked[0]++;
                    if (healthy(pb.health())) {
                        answered[0]++;
                    }
                    slowest[0] = Math.max(slowest[0], (System.nanoTime() - start) / 1e6);
                    parkMillis(100);
                }
            });
            LoadGenerator.Result beside = load.run(pb.mcp(), McpClient.Era.SESSIONS, pb.process(), CLIENTS, warmup,
                    measured);
            measuring.set(false);
            prober.join();
            misbehave(pb.mcp(), "open_gate", gate);
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            awaitRunning(pb.health(), data, running -> running == 0, "the misbehaving calls to end");
            return new Row(kind, n, beside.latency(), beside.errors(), beside.latency().p99() / alone.p99(), asked[0],
                    answered[0], slowest[0]);
        }
    }

    /** Calls a tool of the misbehaving plugin with a gate (the calls that wait for it end when it opens). */
    private void misbehave(URI mcp, String tool, String gate) {
        try (McpClient client = McpClient.create(mcp, McpClient.Era.SESSIONS, mapper).open()) {
            ObjectNode params = mapper.createObjectNode().put("name", tool);
            params.putObject("arguments").put("gate", gate);
            JsonNode result = client.call("tools/call", params, tool);
            if (tool.equals("open_gate") && result.path("isError").asBoolean()) {
                throw new IllegalStateException("open_gate failed: " + result);
            }
        } catch (IOException | CheckFailed e) {
            // A misbehaving call may outlast the client's time limit; only the gate must open.
            if (tool.equals("open_gate")) {
                throw new IllegalStateException("open_gate failed: " + e.getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the number of running calls the server reports for the misbehaving plugin is right. */
    private void awaitRunning(URI health, Path data, java.util.function.IntPredicate right, String what)
            throws IOException {
        // The calls part of /health/ready is shown with the admin key only (<data>/admin.key, made at start).
        String adminKey = java.nio.file.Files.readString(data.resolve("admin.key")).strip();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + adminKey).build(),
                        HttpResponse.BodyHandlers.ofString());
                for (JsonNode p : mapper.readTree(r.body()).path("calls")) {
                    if (PLUGIN.equals(p.path("symbolicName").asText()) && right.test(p.path("running").asInt())) {
                        return;
                    }
                }
            } catch (IOException e) {
                // not answering yet: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            parkMillis(20);
        }
        throw new IOException("timed out after 60 s waiting for " + what);
    }

    private boolean healthy(URI health) {
        try {
            return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void parkMillis(long millis) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
