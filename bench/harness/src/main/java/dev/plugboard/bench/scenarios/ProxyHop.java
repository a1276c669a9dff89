package dev.plugboard.bench.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.bench.mcp.CheckFailed;
import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.report.Spread;
import dev.plugboard.bench.servers.Layout;
import dev.plugboard.bench.servers.Servers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy hop: the same echo tool called directly on a Plugboard serving the echo bundle (the
 * upstream), and through a second Plugboard whose proxy bundle has that server as an HTTP upstream
 * ({@code mcp-servers.json}), in the same interleaved runs. Reports what the hop adds to p50 and p99
 * and the proxied throughput as a share of the direct one.
 */
public final class ProxyHop {

    /** The concurrency levels: one client, and sixteen. */
    public static final List<Integer> CONCURRENCY = List.of(1, 16);
    private static final String UPSTREAM = "up";
    private static final String PROXIED_TOOL = UPSTREAM + "__echo";
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final int WARM_UP_CLIENTS = 16;

    /**
     * What the hop costs at one concurrency level (medians of the same run).
     *
     * @param concurrency clients
     * @param directP50 p50 direct, ms
     * @param proxiedP50 p50 through the proxy, ms
     * @param addedP50 the difference, ms
     * @param directP99 p99 direct, ms
     * @param proxiedP99 p99 through the proxy, ms
     * @param addedP99 the difference, ms
     * @param throughputRatio proxied requests per second over direct ones
     * @param errors errors in either
     */
    public record Overhead(int concurrency, double directP50, double proxiedP50, double addedP50, double directP99,
            double proxiedP99, double addedP99, double throughputRatio, long errors) {
    }

    /**
     * @param rows the load figures of both targets
     * @param overhead the hop's cost per concurrency level
     */
    public record Result(List<Throughput.Row> rows, List<Overhead> overhead) {
    }

    private final Servers servers;
    private final ObjectMapper mapper;
    private final PrintStream progress;

    /**
     * @param servers starts the two Plugboards (pinned like the throughput runs)
     * @param mapper reads JSON
     * @param progress where one line per run goes
     */
    public ProxyHop(Servers servers, ObjectMapper mapper, PrintStream progress) {
        this.servers = servers;
        this.mapper = mapper;
        this.progress = progress;
    }

    /** Starts both servers, runs the interleaved load and stops them. */
    public Result run(int repeats, Duration warmup, Duration measured)
            throws IOException, InterruptedException, CheckFailed {
        Layout layout = servers.layout();
        Path work = layout.work().resolve("proxy");
        Layout.deleteTree(work);
        Path proxyBundle = layout.firstPartyBundles().stream()
                .filter(b -> b.getFileName().toString().startsWith("plugboard-proxy")).findFirst()
                .orElseThrow(() -> new IOException("no plugboard-proxy bundle in the distribution"));
        try (Servers.Running upstream = servers.plugboard("proxy-upstream", List.of(layout.echoBundle()),
                work.resolve("upstream/data"), Map.of("http.responseMode", "json"))) {
            Path config = Files.createDirectories(work.resolve("front/config"));
            Files.writeString(config.resolve("mcp-servers.json"), "{\"mcpServers\": {\"" + UPSTREAM + "\": {\"url\": \""
                    + upstream.mcp() + "\"}}}");
            try (Servers.Running front = servers.plugboard("proxy-front", List.of(proxyBundle),
                    work.resolve("front/data"), Map.of("http.responseMode", "json"), config)) {
                awaitTool(front);
                return measure(new Throughput.Target("Plugboard direct", "json", McpClient.Era.SESSIONS, upstream),
                        new Throughput.Target("Plugboard proxying it", "json", McpClient.Era.SESSIONS, front),
                        repeats, warmup, measured);
            }
        }
    }

    private void awaitTool(Servers.Running front) throws IOException, InterruptedException, CheckFailed {
        long deadline = System.nanoTime() + Servers.START_LIMIT.toNanos();
        try (McpClient client = McpClient.create(front.mcp(), McpClient.Era.SESSIONS, mapper).open()) {
            while (true) {
                JsonNode tools = client.call("tools/list", mapper.createObjectNode(), null).path("tools");
                for (JsonNode t : tools) {
                    if (t.path("name").asText().equals(PROXIED_TOOL)) {
                        client.withTool(PROXIED_TOOL).callEcho("probe");
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the proxy did not offer " + PROXIED_TOOL + " within "
                            + Servers.START_LIMIT.toSeconds() + " s; see bench/work/logs/proxy-front.log");
                }
                Thread.sleep(100); // polling a separate process that has no change stream open yet
            }
        }
    }

    private Result measure(Throughput.Target direct, Throughput.Target proxied, int repeats, Duration warmup,
            Duration measured) throws IOException, InterruptedException {
        LoadGenerator load = new LoadGenerator(mapper);
        List<Throughput.Target> targets = List.of(direct, proxied);
        List<String> tools = List.of("echo", PROXIED_TOOL);
        List<List<List<LoadGenerator.Result>>> results = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            load.run(targets.get(t).running().mcp(), McpClient.Era.SESSIONS, targets.get(t).running().process(),
                    WARM_UP_CLIENTS, WARM_UP, Duration.ofMillis(1), tools.get(t));
            List<List<LoadGenerator.Result>> perLevel = new ArrayList<>();
            CONCURRENCY.forEach(c -> perLevel.add(new ArrayList<>()));
            results.add(perLevel);
        }
        progress.println("  (both warmed up for " + WARM_UP.toSeconds() + " s first)");
        for (int r = 0; r < repeats; r++) {
            for (int c = 0; c < CONCURRENCY.size(); c++) {
                for (int i = 0; i < targets.size(); i++) {
                    int t = (i + r) % targets.size();
                    Throughput.Target target = targets.get(t);
                    // the front's CPU is what the hop costs; the upstream's is counted in the direct run
                    LoadGenerator.Result result = load.run(target.running().mcp(), McpClient.Era.SESSIONS,
                            target.running().process(), CONCURRENCY.get(c), warmup, measured, tools.get(t));
                    results.get(t).get(c).add(result);
                    progress.printf(Locale.ROOT, "  repeat %d, %2d clients, %-22s %9.0f req/s  p50 %6.2f ms  p99 %7.2f ms"
                            + "  errors %d%n", r + 1, CONCURRENCY.get(c), target.server(), result.throughput(),
                            result.latency().p50(), result.latency().p99(), result.errors());
                }
            }
        }
        List<Throughput.Row> rows = new ArrayList<>();
        List<Overhead> overhead = new ArrayList<>();
        for (int c = 0; c < CONCURRENCY.size(); c++) {
            Throughput.Row d = Throughput.Row.of(direct, CONCURRENCY.get(c), results.get(0).get(c));
            Throughput.Row p = Throughput.Row.of(proxied, CONCURRENCY.get(c), results.get(1).get(c));
            rows.add(d);
            rows.add(p);
            overhead.add(new Overhead(CONCURRENCY.get(c), d.p50().median(), p.p50().median(),
                    p.p50().median() - d.p50().median(), d.p99().median(), p.p99().median(),
                    p.p99().median() - d.p99().median(), p.throughput().median() / d.throughput().median(),
                    d.errors() + p.errors()));
        }
        return new Result(rows, overhead);
    }

    /** The report's section. */
    public static String markdown(Result result) {
        StringBuilder md = new StringBuilder("## Proxy hop\n\nThe echo tool called directly on a Plugboard serving it,"
                + " and through a second Plugboard proxying that server as an HTTP upstream (`mcp-servers.json`,"
                + " 2025-11-25 sessions on both sides), in the same interleaved runs. Goal: p50 at most 0.5 ms added,"
                + " throughput at least 90% of direct at 16 clients.\n\n"
                + "| clients | p50 direct | p50 proxied | p50 added | p99 direct | p99 proxied | p99 added |"
                + " throughput proxied / direct | errors |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Overhead o : result.overhead()) {
            md.append(String.format(Locale.ROOT, "| %d | %.2f ms | %.2f ms | %+.2f ms | %.2f ms | %.2f ms | %+.2f ms |"
                    + " %.2f | %d |%n", o.concurrency(), o.directP50(), o.proxiedP50(), o.addedP50(), o.directP99(),
                    o.proxiedP99(), o.addedP99(), o.throughputRatio(), o.errors()));
        }
        md.append("\n| server | clients | req/s (min–max) | p50 ms (min–max) | p99 ms (min–max) |\n|---|---|---|---|---|\n");
        for (Throughput.Row r : result.rows()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f (%.0f–%.0f) | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) |%n",
                    r.server(), r.concurrency(), r.throughput().median(), r.throughput().min(), r.throughput().max(),
                    r.p50().median(), r.p50().min(), r.p50().max(), r.p99().median(), r.p99().min(), r.p99().max()));
        }
        return md.toString();
    }
}
