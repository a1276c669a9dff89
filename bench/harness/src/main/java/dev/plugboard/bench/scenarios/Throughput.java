package dev.plugboard.bench.scenarios;

import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.report.Spread;
import dev.plugboard.bench.servers.Servers;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The echo {@code tools/call} load against every target, interleaved: after a warm-up of every
 * target, each repeat runs every concurrency level against every target in turn, so a slow minute on
 * the machine touches all of them alike. The order is shuffled afresh for each repeat and level (with
 * fixed seeds: the same orders in every run), so that no target always follows the same one: a target
 * measured right after another can pay for whatever that one leaves running. With a plain rotation, the
 * target that always came right after the bare handler reached 0.82× of an identical copy of itself
 * in the same run (bench/README.md, "Reading a comparison").
 */
public final class Throughput {

    /**
     * One server in one framing.
     *
     * @param server the server's name in reports
     * @param responses {@code json} or {@code sse}: how the server answers a POSTed request
     * @param era how the client frames requests
     * @param running the started server
     */
    public record Target(String server, String responses, McpClient.Era era, Servers.Running running,
            String authorization) {

        /** A target whose clients send no credential. */
        public Target(String server, String responses, McpClient.Era era, Servers.Running running) {
            this(server, responses, era, running, null);
        }

        /** The label in reports. */
        public String label() {
            if (era == McpClient.Era.REST) {
                return server + " REST";
            }
            return server + " " + responses + (era == McpClient.Era.STATELESS ? " stateless" : "");
        }
    }

    /**
     * Every run of one target at one concurrency level.
     *
     * @param server the server
     * @param responses json or sse
     * @param protocol the protocol revision the client spoke
     * @param concurrency the number of clients
     * @param runs one result per repeat
     * @param throughput requests per second over the repeats
     * @param p50 median latency over the repeats, in milliseconds
     * @param p99 99th percentile latency over the repeats, in milliseconds
     * @param max the largest latency seen in any repeat, in milliseconds
     * @param errors errors over all repeats
     * @param serverMicrosPerRequest the server's CPU time per request over the repeats, in microseconds
     */
    public record Row(String server, String responses, String protocol, int concurrency,
            List<LoadGenerator.Result> runs, Spread throughput, Spread p50, Spread p99, double max, long errors,
            Spread serverMicrosPerRequest) {

        static Row of(Target t, int concurrency, List<LoadGenerator.Result> runs) {
            return new Row(t.server(), t.responses(), t.era().version(), concurrency, List.copyOf(runs),
                    Spread.of(runs.stream().map(LoadGenerator.Result::throughput).toList()),
                    Spread.of(runs.stream().map(r -> r.latency().p50()).toList()),
                    Spread.of(runs.stream().map(r -> r.latency().p99()).toList()),
                    runs.stream().mapToDouble(r -> r.latency().max()).max().orElse(Double.NaN),
                    runs.stream().mapToLong(LoadGenerator.Result::errors).sum(),
                    Spread.of(runs.stream().map(Throughput::serverMicrosPerRequest).toList()));
        }
    }

    /** The server's CPU time per request of one run, in microseconds. */
    static double serverMicrosPerRequest(LoadGenerator.Result r) {
        return r.throughput() > 0 ? r.serverCores() * 1_000_000 / r.throughput() : Double.NaN;
    }

    /** Before anything is measured, each target runs this long so that every JIT, server's and client's, is warm. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final int WARM_UP_CLIENTS = 16;

    private final LoadGenerator load;
    private final PrintStream progress;

    /**
     * @param load the load generator
     * @param progress where one line per run goes
     */
    public Throughput(LoadGenerator load, PrintStream progress) {
        this.load = load;
        this.progress = progress;
    }

    /** Runs every repeat and returns one row per target and concurrency level. */
    public List<Row> run(List<Target> targets, List<Integer> concurrencies, int repeats, Duration warmup,
            Duration measured) throws IOException, InterruptedException {
        List<List<List<LoadGenerator.Result>>> results = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            List<List<LoadGenerator.Result>> perLevel = new ArrayList<>();
            for (int c = 0; c < concurrencies.size(); c++) {
                perLevel.add(new ArrayList<>());
            }
            results.add(perLevel);
        }
        for (Target target : targets) {
            load.run(target.running().mcp(), target.era(), target.authorization(), target.running().process(),
                    WARM_UP_CLIENTS, WARM_UP,
                    Duration.ofMillis(1));
        }
        progress.println("  (every target warmed up for " + WARM_UP.toSeconds() + " s first)");
        for (int r = 0; r < repeats; r++) {
            for (int c = 0; c < concurrencies.size(); c++) {
                List<Integer> order = new ArrayList<>();
                for (int t = 0; t < targets.size(); t++) {
                    order.add(t);
                }
                Collections.shuffle(order, new Random(31L * r + c));
                for (int t : order) {
                    Target target = targets.get(t);
                    LoadGenerator.Result result = load.run(target.running().mcp(), target.era(),
                            target.authorization(), target.running().process(), concurrencies.get(c), warmup, measured);
                    results.get(t).get(c).add(result);
                    progress.printf(Locale.ROOT, "  repeat %d, %2d clients, %-26s %9.0f req/s  p50 %6.2f ms  p99 %7.2f ms"
                            + "  errors %d  server %.2f cores (%.0f µs/req)  client %.2f cores%n", r + 1,
                            concurrencies.get(c), target.label(), result.throughput(), result.latency().p50(),
                            result.latency().p99(), result.errors(), result.serverCores(),
                            serverMicrosPerRequest(result), result.clientCores());
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            for (int c = 0; c < concurrencies.size(); c++) {
                rows.add(Row.of(targets.get(t), concurrencies.get(c), results.get(t).get(c)));
            }
        }
        return rows;
    }
}
