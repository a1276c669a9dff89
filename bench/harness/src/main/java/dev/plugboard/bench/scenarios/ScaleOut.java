package dev.plugboard.bench.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.bench.mcp.CheckFailed;
import dev.plugboard.bench.mcp.EchoCalls;
import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.report.Latencies;
import dev.plugboard.bench.report.Spread;
import dev.plugboard.bench.servers.ServerProcess;
import dev.plugboard.bench.servers.Servers;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scale-out on Redis ({@code --only redis}): echo throughput of one node in memory, one node with
 * Redis ({@code store.redis.url}) and two Redis nodes behind a round-robin TCP proxy, interleaved in
 * each repeat; and session migration: the first call on node B of a session initialised on node A,
 * against the first call on the node that initialised it. Needs {@code redis-server} on the PATH (or
 * {@code PLUGBOARD_REDIS_SERVER}).
 */
public final class ScaleOut {

    /**
     * One target at one concurrency.
     *
     * @param target what was measured
     * @param concurrency clients
     * @param throughput checked calls per second: median, min, max over the repeats
     * @param p50 median latency, ms (median over repeats)
     * @param p99 99th percentile, ms (median over repeats)
     * @param errors failed calls over all repeats
     */
    public record Row(String target, int concurrency, Spread throughput, double p50, double p99, long errors) {
    }

    /**
     * @param rows the throughput rows
     * @param redisToMemory per concurrency, the median throughput with Redis over the median in memory
     * @param migrated the first call on node B of a session opened on node A
     * @param sameNode the first call on the node that opened the session
     */
    public record Result(List<Row> rows, Map<Integer, Double> redisToMemory, Latencies migrated,
            Latencies sameNode) {

        /** The section of the report. */
        public String markdown() {
            StringBuilder md = new StringBuilder();
            md.append("## Scale-out on Redis (echo, JSON responses)\n\n");
            md.append("| target | clients | calls/s median | min | max | p50 ms | p99 ms | errors |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Row r : rows) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.2f | %.2f | %d |%n",
                        r.target(), r.concurrency(), r.throughput().median(), r.throughput().min(),
                        r.throughput().max(), r.p50(), r.p99(), r.errors()));
            }
            md.append("\n| clients | one node with Redis / in memory |\n|---:|---:|\n");
            redisToMemory.forEach((c, ratio) -> md.append(String.format(Locale.ROOT, "| %d | %.2f |%n", c, ratio)));
            md.append("\nSession migration (first call of a fresh session, ").append(migrated.count())
                    .append(" sessions):\n\n| first call | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|\n");
            md.append(String.format(Locale.ROOT, "| on node B, session opened on node A | %.2f | %.2f | %.2f |%n",
                    migrated.p50(), migrated.p95(), migrated.max()));
            md.append(String.format(Locale.ROOT, "| on node A, which opened it | %.2f | %.2f | %.2f |%n",
                    sameNode.p50(), sameNode.p95(), sameNode.max()));
            return md.toString();
        }
    }

    static final String MEMORY = "one node, in memory";
    static final String REDIS = "one node, Redis";
    static final String TWO = "two nodes, Redis, round-robin proxy";

    private final Servers servers;
    private final ObjectMapper mapper;
    private final PrintStream progress;

    /**
     * @param servers starts the nodes
     * @param mapper reads and writes JSON
     * @param progress where one line per run goes
     */
    public ScaleOut(Servers servers, ObjectMapper mapper, PrintStream progress) {
        this.servers = servers;
        this.mapper = mapper;
        this.progress = progress;
    }

    /** Runs the comparison and the migration measurement. */
    @SuppressWarnings("try") // redis-server is only held for the run: the try stops it
    public Result run(Path echoBundle, Path work, List<Integer> concurrency, int repeats, Duration warmup,
            Duration measured, int migrations) throws IOException, InterruptedException, CheckFailed {
        int port = Servers.freePort();
        String redisServer = System.getenv().getOrDefault("PLUGBOARD_REDIS_SERVER", "redis-server");
        try (ServerProcess redis = ServerProcess.start("redis", servers.pinned(List.of(redisServer, "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")), Map.of(),
                servers.log("redis"));
                Servers.Running memory = servers.plugboard("scale-memory", List.of(echoBundle),
                        work.resolve("scale-memory/data"), Map.of("http.responseMode", "json"));
                Servers.Running a = awaitRedisThen(port, () -> servers.plugboard("scale-redis-a", List.of(echoBundle),
                        work.resolve("scale-redis-a/data"), redisSettings(port)));
                Servers.Running b = servers.plugboard("scale-redis-b", List.of(echoBundle),
                        work.resolve("scale-redis-b/data"), redisSettings(port));
                RoundRobinProxy proxy = new RoundRobinProxy(List.of(a.mcp(), b.mcp()))) {
            LoadGenerator load = new LoadGenerator(mapper);
            Map<String, java.net.URI> targets = new LinkedHashMap<>();
            targets.put(MEMORY, memory.mcp());
            targets.put(REDIS, a.mcp());
            targets.put(TWO, proxy.mcp());
            // The proxy's CPU is the harness's; the two nodes' is not summed: no server CPU for that row.
            Map<String, ServerProcess> processes = new java.util.HashMap<>();
            processes.put(MEMORY, memory.process());
            processes.put(REDIS, a.process());
            for (var t : targets.entrySet()) {
                load.run(t.getValue(), McpClient.Era.SESSIONS, null, 16, Duration.ofSeconds(5), Duration.ofMillis(1));
            }
            Map<String, List<LoadGenerator.Result>> results = new LinkedHashMap<>();
            for (int repeat = 0; repeat < repeats; repeat++) {
                for (int c : concurrency) {
                    List<String> order = new ArrayList<>(targets.keySet());
                    java.util.Collections.rotate(order, repeat);
                    for (String t : order) {
                        LoadGenerator.Result r = load.run(targets.get(t), McpClient.Era.SESSIONS, processes.get(t), c,
                                warmup, measured);
                        results.computeIfAbsent(t + "@" + c, k -> new ArrayList<>()).add(r);
                        progress.printf(Locale.ROOT, "  %-38s %3d clients: %8.0f calls/s  p50 %.2f ms  p99 %.2f ms"
                                + "  errors %d%n", t, c, r.throughput(), r.latency().p50(), r.latency().p99(),
                                r.errors());
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            Map<Integer, Double> ratios = new LinkedHashMap<>();
            for (int c : concurrency) {
                for (String t : targets.keySet()) {
                    List<LoadGenerator.Result> rs = results.get(t + "@" + c);
                    rows.add(new Row(t, c, Spread.of(rs.stream().mapToDouble(LoadGenerator.Result::throughput).toArray()),
                            median(rs.stream().mapToDouble(r -> r.latency().p50()).toArray()),
                            median(rs.stream().mapToDouble(r -> r.latency().p99()).toArray()),
                            rs.stream().mapToLong(LoadGenerator.Result::errors).sum()));
                }
                double mem = rows.stream().filter(r -> r.concurrency() == c && r.target().equals(MEMORY)).findFirst()
                        .orElseThrow().throughput().median();
                double red = rows.stream().filter(r -> r.concurrency() == c && r.target().equals(REDIS)).findFirst()
                        .orElseThrow().throughput().median();
                ratios.put(c, red / mem);
            }
            long[] migrated = new long[migrations];
            long[] same = new long[migrations];
            for (int i = 0; i < migrations; i++) {
                migrated[i] = firstCall(a, b, "m" + i);
                same[i] = firstCall(a, a, "s" + i);
            }
            Result result = new Result(rows, ratios, Latencies.ofNanos(migrated), Latencies.ofNanos(same));
            progress.printf(Locale.ROOT, "  session migration: first call on B p50 %.2f ms (on A: %.2f ms)%n",
                    result.migrated().p50(), result.sameNode().p50());
            return result;
        }
    }

    private static Map<String, String> redisSettings(int port) {
        return Map.of("http.responseMode", "json", "store.redis.url", "redis://127.0.0.1:" + port);
    }

    /** Opens a session on one node and times the first echo call on another (or the same) node. */
    private long firstCall(Servers.Running opener, Servers.Running caller, String message)
            throws IOException, InterruptedException, CheckFailed {
        try (McpClient client = McpClient.create(opener.mcp(), McpClient.Era.SESSIONS, mapper).open();
                EchoCalls calls = new EchoCalls(caller.mcp(), McpClient.Era.SESSIONS, client.sessionId(), "2025-11-25",
                        mapper)) {
            return calls.call(message);
        }
    }

    @FunctionalInterface
    private interface Start {
        Servers.Running start() throws IOException, InterruptedException;
    }

    /** Waits until Redis accepts connections, then starts a node. */
    private static Servers.Running awaitRedisThen(int port, Start start) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("redis-server did not listen on port " + port + " within 30 s", e);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
        return start.start();
    }

    private static double median(double[] values) {
        return Spread.of(values).median();
    }
}
