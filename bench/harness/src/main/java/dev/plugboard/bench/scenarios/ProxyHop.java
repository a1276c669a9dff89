package dev.plugboard.bench.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.bench.mcp.CheckFailed;
import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.report.Spread;
import dev.plugboard.bench.servers.Layout;
import dev.plugboard.bench.servers.ServerProcess;
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
import java.util.stream.Collectors;

/**
 * The proxy hop: the same echo tool called directly on an upstream and through a Plugboard whose
 * proxy bundle has that upstream as an HTTP upstream ({@code mcp-servers.json}), in the same
 * interleaved runs, for two upstreams: a Plugboard serving the echo bundle (the cheapest upstream
 * there is, so the hardest case for the ratio) and the official TypeScript SDK's Streamable HTTP
 * server (what most MCP servers run on). Reports what the hop adds to p50 and p99 and the proxied
 * throughput as a share of the direct one.
 */
public final class ProxyHop {

    /** The concurrency levels: one client, and sixteen. */
    public static final List<Integer> CONCURRENCY = List.of(1, 16);
    /**
     * Longer than the throughput runs' 10 s: the proxying Plugboard answers a tenth as many calls a
     * second, and shares its CPU with its upstream, so after 10 s its JIT was still compiling the
     * proxied path (C2 took half of its CPU in the measured period, in a profile of the 16-client run).
     * After 30 s, C2 still took a quarter of the front's CPU (bench/profile.md, "Proxy hop"): 60 s.
     */
    private static final Duration WARM_UP = Duration.ofSeconds(60);
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
     * @param cpu the server CPU time each call costs, direct and proxied
     */
    public record Overhead(int concurrency, double directP50, double proxiedP50, double addedP50, double directP99,
            double proxiedP99, double addedP99, double throughputRatio, long errors, CpuPerCall cpu) {
    }

    /**
     * Server CPU time per call, in microseconds (medians over the repeats), from {@code /proc} of the
     * server processes. Both Plugboards share one CPU, so the proxied throughput can at best reach
     * {@code direct / (front + upstreamProxied)} of the direct one: {@link #bestRatio()}.
     *
     * @param direct the upstream's, called directly
     * @param front the proxying Plugboard's, called through it
     * @param upstreamProxied the upstream's, called through the proxy
     * @param proxied the two together, called through the proxy
     * @param added what the hop adds: proxied minus direct
     * @param directCores the CPU the upstream used in the direct run, in cores
     * @param proxiedCores the CPU both used in the proxied run, in cores
     */
    public record CpuPerCall(double direct, double front, double upstreamProxied, double proxied, double added,
            double directCores, double proxiedCores) {

        /** The share of the direct throughput the proxied one can reach when both share the same CPUs. */
        public double bestRatio() {
            return direct / proxied;
        }

        static CpuPerCall of(List<LoadGenerator.Result> direct, List<LoadGenerator.Result> proxied) {
            double d = median(direct.stream().map(LoadGenerator.Result::serverMicrosPerRequest).toList());
            double f = median(proxied.stream().map(r -> r.serverMicrosPerRequest(0)).toList());
            double u = median(proxied.stream().map(r -> r.serverMicrosPerRequest(1)).toList());
            double p = median(proxied.stream().map(LoadGenerator.Result::serverMicrosPerRequest).toList());
            return new CpuPerCall(d, f, u, p, p - d,
                    median(direct.stream().map(LoadGenerator.Result::serverCores).toList()),
                    median(proxied.stream().map(LoadGenerator.Result::serverCores).toList()));
        }

        private static double median(List<Double> values) {
            return Spread.of(values).median();
        }
    }

    /** Where the proxying Plugboard runs; its upstream always runs on the server CPU(s). */
    public enum Placement {
        /** On the upstream's CPU(s): the hop's CPU is taken from the upstream's (the worst case). */
        SHARED("shared with the upstream"),
        /**
         * On the load generator's CPU(s), the upstream alone on the server CPU(s), as a gateway deployed on
         * a host of its own would run; the front still competes with the load generator.
         */
        APART("apart, beside the load generator");

        private final String label;

        Placement(String label) {
            this.label = label;
        }

        /** How reports name it. */
        public String label() {
            return label;
        }
    }

    /**
     * The hop in front of one upstream.
     *
     * @param upstream what the upstream is, in reports
     * @param placement where the proxying Plugboard ran
     * @param rows the load figures of both targets
     * @param overhead the hop's cost per concurrency level
     */
    public record Hop(String upstream, Placement placement, List<Throughput.Row> rows, List<Overhead> overhead) {
    }

    /**
     * An upstream measured.
     *
     * @param name its name in {@code mcp-servers.json}, the prefix of its tools
     * @param label its name in reports
     * @param responses how it answers a POSTed request: {@code json} or {@code sse}
     * @param running the started server
     */
    private record Upstream(String name, String label, String responses, Servers.Running running) {
    }

    /** @param hops one per placement and upstream: a Plugboard, then the TypeScript SDK's server */
    public record Result(List<Hop> hops) {
    }

    private final Servers servers;
    private final Servers apart;
    private final ObjectMapper mapper;
    private final PrintStream progress;

    /**
     * @param servers starts the upstreams and the proxying Plugboard that shares their CPU (pinned like the
     *     throughput runs)
     * @param apart starts a proxying Plugboard on the load generator's CPU(s); null when nothing is pinned
     *     (one placement only)
     * @param mapper reads JSON
     * @param progress where one line per run goes
     */
    public ProxyHop(Servers servers, Servers apart, ObjectMapper mapper, PrintStream progress) {
        this.servers = servers;
        this.apart = apart;
        this.mapper = mapper;
        this.progress = progress;
    }

    /** Starts the upstreams and the proxying Plugboard, runs the interleaved load and stops them. */
    public Result run(int repeats, Duration warmup, Duration measured)
            throws IOException, InterruptedException, CheckFailed {
        Layout layout = servers.layout();
        Path work = layout.work().resolve("proxy");
        Layout.deleteTree(work);
        Path proxyBundle = layout.firstPartyBundles().stream()
                .filter(b -> b.getFileName().toString().startsWith("plugboard-proxy")).findFirst()
                .orElseThrow(() -> new IOException("no plugboard-proxy bundle in the distribution"));
        List<Hop> hops = new ArrayList<>();
        hops.addAll(placed(servers, Placement.SHARED, proxyBundle, work, repeats, warmup, measured));
        if (apart != null) {
            hops.addAll(placed(apart, Placement.APART, proxyBundle, work, repeats, warmup, measured));
        }
        return new Result(hops);
    }

    /**
     * Starts fresh upstreams and a proxying Plugboard placed so, and measures the hop in front of each
     * upstream. Fresh, because in two runs with one set of upstreams for both placements, the
     * TypeScript SDK's server spent up to twice its CPU per call during the second placement (p99
     * about 140 ms), in whichever target was being measured at the time.
     */
    private List<Hop> placed(Servers frontServers, Placement placement, Path proxyBundle, Path work, int repeats,
            Duration warmup, Duration measured) throws IOException, InterruptedException, CheckFailed {
        String key = placement.name().toLowerCase(Locale.ROOT);
        Layout layout = servers.layout();
        try (Servers.Running plugboard = servers.plugboard("proxy-upstream-" + key, List.of(layout.echoBundle()),
                work.resolve(key + "/upstream/data"), Map.of("http.responseMode", "json"));
                // The SDK's default, SSE answers: in JSON-answer mode its 1.x transport keeps one entry per request
                // until the session ends (typescript-sdk#2559), and the proxy's one session lasts the whole run: the
                // upstream's heap then grew by gigabytes and its CPU per call swung from 270 to 970 µs.
                Servers.Running tsSdk = servers.peer(Servers.Peer.TS_SDK_SSE, "proxy-upstream-ts-sdk-" + key)) {
            List<Upstream> upstreams = List.of(new Upstream("plugboard", "Plugboard", "json", plugboard),
                    new Upstream("tssdk", "TypeScript SDK", "sse", tsSdk));
            Path config = Files.createDirectories(work.resolve(key + "/front/config"));
            String entries = upstreams.stream().map(u -> "\"" + u.name() + "\": {\"url\": \"" + u.running().mcp()
                    + "\"}").collect(Collectors.joining(", "));
            Files.writeString(config.resolve("mcp-servers.json"), "{\"mcpServers\": {" + entries + "}}");
            try (Servers.Running front = frontServers.plugboard("proxy-front-" + key, List.of(proxyBundle),
                    work.resolve(key + "/front/data"), Map.of("http.responseMode", "json"), config)) {
                List<Hop> hops = new ArrayList<>();
                for (Upstream u : upstreams) {
                    String proxied = u.name() + "__echo";
                    awaitTool(front, proxied);
                    progress.println("  upstream: " + u.label() + "; proxy " + placement.label());
                    hops.add(measure(u.label(), placement, new Throughput.Target(u.label() + " direct", u.responses(),
                            McpClient.Era.SESSIONS, u.running()), new Throughput.Target("Plugboard proxying it",
                            "json", McpClient.Era.SESSIONS, front), proxied, repeats, warmup, measured));
                }
                return hops;
            }
        }
    }

    private void awaitTool(Servers.Running front, String tool) throws IOException, InterruptedException, CheckFailed {
        long deadline = System.nanoTime() + Servers.START_LIMIT.toNanos();
        try (McpClient client = McpClient.create(front.mcp(), McpClient.Era.SESSIONS, mapper).open()) {
            while (true) {
                JsonNode tools = client.call("tools/list", mapper.createObjectNode(), null).path("tools");
                for (JsonNode t : tools) {
                    if (t.path("name").asText().equals(tool)) {
                        client.withTool(tool).callEcho("probe");
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the proxy did not offer " + tool + " within "
                            + Servers.START_LIMIT.toSeconds() + " s; see bench/work/logs/proxy-front.log");
                }
                Thread.sleep(100); // polling a separate process that has no change stream open yet
            }
        }
    }

    private Hop measure(String upstream, Placement placement, Throughput.Target direct, Throughput.Target proxied,
            String proxiedTool, int repeats, Duration warmup, Duration measured)
            throws IOException, InterruptedException {
        LoadGenerator load = new LoadGenerator(mapper);
        List<Throughput.Target> targets = List.of(direct, proxied);
        List<String> tools = List.of("echo", proxiedTool);
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
                    // CPU of every process that serves the call: the upstream alone, or the front and the upstream
                    List<ServerProcess> serving = t == 0 ? List.of(direct.running().process())
                            : List.of(proxied.running().process(), direct.running().process());
                    LoadGenerator.Result result = load.run(target.running().mcp(), McpClient.Era.SESSIONS,
                            serving, CONCURRENCY.get(c), warmup, measured, tools.get(t));
                    results.get(t).get(c).add(result);
                    progress.printf(Locale.ROOT, "  repeat %d, %2d clients, %-22s %9.0f req/s  p50 %6.2f ms  p99 %7.2f ms"
                            + "  server CPU %5.1f µs/call  errors %d%n", r + 1, CONCURRENCY.get(c), target.server(),
                            result.throughput(), result.latency().p50(), result.latency().p99(),
                            result.serverMicrosPerRequest(), result.errors());
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
                    d.errors() + p.errors(), CpuPerCall.of(results.get(0).get(c), results.get(1).get(c))));
        }
        return new Hop(upstream, placement, rows, overhead);
    }

    /** The report's section. */
    public static String markdown(Result result) {
        StringBuilder md = new StringBuilder("## Proxy hop\n\nThe echo tool called directly on an upstream, and"
                + " through a Plugboard proxying it as an HTTP upstream (`mcp-servers.json`; 2025-11-25 sessions from"
                + " the load generator; the proxy speaks the revision its upstream offers: the stateless 2026-07-28"
                + " one with a Plugboard, 2025-11-25 with one shared session with the TypeScript SDK's server), in the"
                + " same interleaved runs, after " + WARM_UP.toSeconds() + " s of warm-up each. Two upstreams: a"
                + " Plugboard serving the echo bundle (the cheapest upstream there is, so the hardest case for the"
                + " ratio), and the official TypeScript SDK's Streamable HTTP server (what most MCP servers are built on)"
                + " with its default SSE answers (its JSON answers keep one entry per request for the life of a"
                + " session, typescript-sdk#2559, and the proxy's session lasts the whole run). The upstreams run on"
                + " the server CPU(s). The proxying Plugboard runs in"
                + " two placements: *shared*, on the upstream's CPU, so that every microsecond the hop costs is taken"
                + " from the upstream; and *apart*, on the load generator's CPU, as a gateway on a host of its own"
                + " would run (it still competes with the load generator there). Goal: p50 at most 0.5 ms added,"
                + " throughput at least 90% of direct at 16 clients.\n\n"
                + "| upstream | proxy | clients | p50 direct | p50 proxied | p50 added | p99 direct | p99 proxied |"
                + " p99 added | throughput proxied / direct | errors |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Hop h : result.hops()) {
            for (Overhead o : h.overhead()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f ms | %.2f ms | %+.2f ms | %.2f ms |"
                        + " %.2f ms | %+.2f ms | %.2f | %d |%n", h.upstream(), h.placement().name().toLowerCase(
                        Locale.ROOT), o.concurrency(), o.directP50(), o.proxiedP50(), o.addedP50(), o.directP99(),
                        o.proxiedP99(), o.addedP99(), o.throughputRatio(), o.errors()));
            }
        }
        md.append("\nServer CPU per call, from `/proc/PID/stat` of the server processes over the measured period"
                + " (medians): the upstream's when called directly; the proxying Plugboard's (front) and the"
                + " upstream's when called through the proxy. When the proxy shares its upstream's CPU and that CPU is"
                + " busy, the proxied throughput can reach at most direct / proxied CPU per call of the direct one"
                + " (\"best ratio\", shared placement only). The 0.9 goal then needs the whole hop to cost at most"
                + " 11% of a direct call's CPU. In front of a Plugboard that cannot be: the front does a direct call's"
                + " work (an MCP request in, a tool call, an answer out) plus an HTTP client's. Apart, the bound is"
                + " the upstream's own CPU per call behind the proxy against its direct one.\n\n"
                + "| upstream | proxy | clients | direct µs/call | proxied µs/call (front + upstream) | front |"
                + " upstream behind the proxy | added by the hop | best ratio (direct / proxied) | front / direct |"
                + " server cores direct / proxied |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Hop h : result.hops()) {
            for (Overhead o : h.overhead()) {
                CpuPerCall c = o.cpu();
                String best = h.placement() == Placement.SHARED ? String.format(Locale.ROOT, "%.2f", c.bestRatio())
                        : "—";
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %+.0f | %s |"
                        + " %.2f | %.2f / %.2f |%n", h.upstream(), h.placement().name().toLowerCase(Locale.ROOT),
                        o.concurrency(), c.direct(), c.proxied(), c.front(), c.upstreamProxied(), c.added(), best,
                        c.front() / c.direct(), c.directCores(), c.proxiedCores()));
            }
        }
        md.append("\n| server | proxy | clients | req/s (min–max) | p50 ms (min–max) | p99 ms (min–max) |\n"
                + "|---|---|---|---|---|---|\n");
        for (Hop h : result.hops()) {
            for (Throughput.Row r : h.rows()) {
                String server = r.server().startsWith("Plugboard proxying") ? r.server() + " (" + h.upstream() + ")"
                        : r.server();
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f (%.0f–%.0f) | %.2f (%.2f–%.2f) |"
                        + " %.2f (%.2f–%.2f) |%n", server, h.placement().name().toLowerCase(Locale.ROOT),
                        r.concurrency(), r.throughput().median(), r.throughput().min(), r.throughput().max(),
                        r.p50().median(), r.p50().min(), r.p50().max(), r.p99().median(), r.p99().min(),
                        r.p99().max()));
            }
        }
        return md.toString();
    }
}
