package dev.plugboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.plugboard.bench.mcp.CheckFailed;
import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.report.Machine;
import dev.plugboard.bench.report.Markdown;
import dev.plugboard.bench.report.Results;
import dev.plugboard.bench.scenarios.HotDeploy;
import dev.plugboard.bench.scenarios.LoadGenerator;
import dev.plugboard.bench.scenarios.Memory;
import dev.plugboard.bench.scenarios.Misbehaving;
import dev.plugboard.bench.scenarios.ProxyHop;
import dev.plugboard.bench.scenarios.ScaleOut;
import dev.plugboard.bench.scenarios.SearchLatency;
import dev.plugboard.bench.scenarios.Startup;
import dev.plugboard.bench.scenarios.Throughput;
import dev.plugboard.bench.servers.Layout;
import dev.plugboard.bench.servers.Servers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/run}: measures Plugboard against the official Java and TypeScript SDK servers on this
 * machine and writes {@code bench/results/<date>.json} and {@code .md}. See bench/README.md.
 */
public final class Bench {

    private Bench() {
    }

    /** Runs the benchmarks; see {@link Options} for the arguments. */
    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Layout layout = Layout.of(o.root(), java, o.node(), o.root().resolve("bench/work"));
        // Pinned apart from the load generator for the load runs only; start-up, memory, hot deploy and
        // search use the whole machine, as a deployment would (explicitly: the harness may be pinned).
        Servers pinned = new Servers(layout, o.serverCpus());
        Servers servers = new Servers(layout, o.serverCpus() == null ? null : Machine.onlineCpus());
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> versions = Versions.of(layout);
        Map<String, String> settings = o.describe();
        System.out.println("Plugboard benchmarks: " + settings);

        List<Throughput.Row> throughput = List.of();
        HotDeploy.Result hotDeploy = null;
        List<Startup.Result> startup = new ArrayList<>();
        List<Memory.Result> memory = new ArrayList<>();
        List<SearchLatency.Result> search = new ArrayList<>();
        if (o.runs("throughput")) {
            System.out.println("Echo tools/call load:");
            throughput = throughput(pinned, mapper, o, versions);
        }
        if (o.runs("hotdeploy")) {
            System.out.println("Hot deploy: " + o.deployCycles() + " cycles");
            hotDeploy = new HotDeploy(servers, mapper).run(o.deployCycles());
        }
        if (o.runs("startup")) {
            System.out.println("Start-up: " + o.starts() + " runs each");
            Startup s = new Startup(servers, mapper);
            startup.add(s.plugboardFirstStart(o.starts()));
            startup.add(s.plugboardRestart(o.starts()));
            startup.add(s.peer(Servers.Peer.JAVA_SDK, Markdown.JAVA_SDK, o.starts()));
            startup.add(s.peer(Servers.Peer.GRIZZLY_BARE, Markdown.BARE, o.starts()));
            if (o.loads(Options.TS_SDK_PEER)) {
                startup.add(s.peer(Servers.Peer.TS_SDK_JSON, "TypeScript SDK", o.starts()));
            }
        }
        if (o.runs("memory")) {
            System.out.println("Memory: idle, and with " + o.sessions() + " sessions");
            memory = memory(servers, mapper, o.sessions(), o.loads(Options.TS_SDK_PEER));
        }
        Misbehaving.Result misbehaving = null;
        if (o.runs("misbehaving")) {
            System.out.println("A stable tool beside misbehaving calls (" + Misbehaving.CLIENTS + " echo clients):");
            Layout.deleteTree(layout.work().resolve("misbehaving"));
            misbehaving = new Misbehaving(servers, mapper, System.out).run(layout.echoBundle(),
                    layout.misbehavingBundle(), layout.work().resolve("misbehaving/data"), List.of(2, 8, 64),
                    o.warmup(), o.measure());
        }
        ProxyHop.Result proxyHop = null;
        if (o.runs("proxy")) {
            System.out.println("Proxy hop: echo direct and through a proxying Plugboard, " + ProxyHop.CONCURRENCY
                    + " clients:");
            Servers apart = o.clientCpus() == null ? null : new Servers(layout, o.clientCpus());
            proxyHop = new ProxyHop(pinned, apart, mapper, System.out).run(o.repeats(), o.warmup(), o.measure());
        }
        if (o.runs("search")) {
            for (int size : o.searchSizes()) {
                System.out.println("Search: " + size + " tools");
                search.add(new SearchLatency(servers, mapper).run(o.metatool(), size, o.searchQueries()));
            }
        }

        ScaleOut.Result scaleOut = null;
        if (o.runs("redis")) {
            System.out.println("Scale-out on Redis: in memory, with Redis, two nodes behind a round-robin proxy:");
            Layout.deleteTree(layout.work().resolve("scale"));
            scaleOut = new ScaleOut(pinned, mapper, System.out).run(layout.echoBundle(), layout.work().resolve("scale"),
                    o.concurrency(), o.repeats(), o.warmup(), o.measure(), o.quick() ? 50 : 200);
        }

        Results results = new Results(DateTimeFormatter.ISO_INSTANT.format(started),
                Machine.describe(o.serverCpus(), o.clientCpus()), versions, settings, throughput, hotDeploy, startup,
                memory, search, misbehaving, proxyHop, scaleOut);
        Files.createDirectories(o.out());
        String stem = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").withZone(ZoneOffset.UTC).format(started)
                + (o.quick() ? "-quick" : "");
        mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.out().resolve(stem + ".json").toFile(), results);
        String markdown = Markdown.render(results);
        Files.writeString(o.out().resolve(stem + ".md"), markdown);
        System.out.println();
        System.out.println(markdown);
        if (!o.quick()) {
            Files.writeString(o.out().resolve("LATEST.md"), markdown);
        }
        System.out.println("Written: " + o.out().resolve(stem + ".json") + " and .md");
    }

    /** Runs the load; records each server's runtime flags in {@code versions}. */
    private static List<Throughput.Row> throughput(Servers servers, ObjectMapper mapper, Options o,
            Map<String, String> versions) throws IOException, InterruptedException, CheckFailed {
        Path work = servers.layout().work();
        List<Path> echo = List.of(servers.layout().echoBundle());
        List<Servers.Running> started = new ArrayList<>();
        try {
            Servers.Running pbJson = start(started, servers.plugboard("plugboard-json", echo, work.resolve("pb-json/data"),
                    Map.of("http.responseMode", "json")));
            Servers.Running pbSse = start(started, servers.plugboard("plugboard-sse", echo, work.resolve("pb-sse/data"),
                    Map.of("http.responseMode", "sse")));
            Servers.Running pbStateless = start(started, servers.plugboard("plugboard-stateless", echo,
                    work.resolve("pb-stateless/data"), Map.of("http.responseMode", "json")));
            List<Throughput.Target> targets = new ArrayList<>();
            targets.add(target(mapper, "Plugboard", McpClient.Era.SESSIONS, pbJson));
            targets.add(target(mapper, "Plugboard", McpClient.Era.SESSIONS, pbSse));
            targets.add(target(mapper, "Plugboard", McpClient.Era.STATELESS, pbStateless));
            // REST's tools/call on the same server as the stateless MCP target, whose engine path it shares.
            targets.add(target(mapper, "Plugboard", McpClient.Era.REST, pbStateless));
            if (o.apiKey()) {
                // The same servers and calls with an API key on every request: the cost of the security layer.
                String jsonKey = "Bearer " + apiKey(servers.layout(), work.resolve("pb-json/data"));
                String statelessKey = "Bearer " + apiKey(servers.layout(), work.resolve("pb-stateless/data"));
                targets.add(keyed(target(mapper, "Plugboard key", McpClient.Era.SESSIONS, pbJson), jsonKey));
                targets.add(keyed(target(mapper, "Plugboard key", McpClient.Era.STATELESS, pbStateless), statelessKey));
                targets.add(keyed(target(mapper, "Plugboard key", McpClient.Era.REST, pbStateless), statelessKey));
            }
            if (o.baseline() != null) {
                // The same servers from another build, measured in the same interleaved runs.
                Servers other = new Servers(servers.layout().withDistributionOf(o.baseline()), o.serverCpus());
                List<Path> otherEcho = List.of(other.layout().echoBundle());
                targets.add(target(mapper, Options.BASELINE, McpClient.Era.SESSIONS, start(started, other.plugboard(
                        "baseline-json", otherEcho, work.resolve("base-json/data"), Map.of("http.responseMode", "json")))));
                targets.add(target(mapper, Options.BASELINE, McpClient.Era.SESSIONS, start(started, other.plugboard(
                        "baseline-sse", otherEcho, work.resolve("base-sse/data"), Map.of("http.responseMode", "sse")))));
                Servers.Running baseStateless = start(started, other.plugboard("baseline-stateless", otherEcho,
                        work.resolve("base-stateless/data"), Map.of("http.responseMode", "json")));
                targets.add(target(mapper, Options.BASELINE, McpClient.Era.STATELESS, baseStateless));
                targets.add(target(mapper, Options.BASELINE, McpClient.Era.REST, baseStateless));
            }
            if (o.loads(Options.BARE_PEER)) {
                targets.add(target(mapper, Markdown.BARE, McpClient.Era.SESSIONS,
                        start(started, servers.peer(Servers.Peer.GRIZZLY_BARE, "grizzly-bare"))));
            }
            if (o.loads(Options.JAVA_SDK_PEER)) {
                targets.add(target(mapper, Markdown.JAVA_SDK, McpClient.Era.SESSIONS,
                        start(started, servers.peer(Servers.Peer.JAVA_SDK, "java-sdk"))));
            }
            if (o.loads(Options.TS_SDK_PEER)) {
                targets.add(target(mapper, "TypeScript SDK", McpClient.Era.SESSIONS,
                        start(started, servers.peer(Servers.Peer.TS_SDK_JSON, "ts-sdk-json"))));
                targets.add(target(mapper, "TypeScript SDK", McpClient.Era.SESSIONS,
                        start(started, servers.peer(Servers.Peer.TS_SDK_SSE, "ts-sdk-sse"))));
            }
            for (Servers.Running r : started) {
                versions.put("Runtime flags, " + r.process().name(), r.process().runtimeFlags());
            }
            return new Throughput(new LoadGenerator(mapper), System.out).run(targets, o.concurrency(), o.repeats(),
                    o.warmup(), o.measure());
        } finally {
            started.forEach(Servers.Running::close);
        }
    }

    /** Makes an API key (role user) in a server's data folder with {@code bin/plugboard keys add}; the server reads it live. */
    private static String apiKey(Layout layout, Path data) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(layout.plugboard().toString(), "keys", "add", "bench-" + System.nanoTime(),
                "--role", "user", "--data", data.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String key = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || !key.startsWith("pbk_")) {
            throw new IOException("plugboard keys add failed for " + data);
        }
        return key;
    }

    private static Throughput.Target keyed(Throughput.Target t, String authorization) {
        return new Throughput.Target(t.server(), t.responses(), t.era(), t.running(), authorization);
    }

    private static Servers.Running start(List<Servers.Running> started, Servers.Running running) {
        started.add(running);
        return running;
    }

    /** A target, labelled by the responses the server actually sends (probed with one checked call). */
    private static Throughput.Target target(ObjectMapper mapper, String server, McpClient.Era era,
            Servers.Running running) throws IOException, InterruptedException, CheckFailed {
        try (McpClient probe = McpClient.create(running.mcp(), era, mapper).open()) {
            probe.callEcho("probe");
            String type = probe.lastContentType();
            String responses = type != null && type.startsWith("text/event-stream") ? "sse" : "json";
            return new Throughput.Target(server, responses, era, running);
        }
    }

    private static List<Memory.Result> memory(Servers servers, ObjectMapper mapper, int sessions, boolean tsSdk)
            throws IOException, InterruptedException {
        Path work = servers.layout().work();
        Memory memory = new Memory(mapper);
        List<Memory.Result> results = new ArrayList<>();
        List<Path> echo = List.of(servers.layout().echoBundle());
        List<Path> all = new ArrayList<>(servers.layout().firstPartyBundles());
        all.add(servers.layout().echoBundle());
        Layout.deleteTree(work.resolve("memory"));
        try (Servers.Running pb = servers.plugboard("memory-plugboard-echo", echo, work.resolve("memory/echo"),
                Map.of())) {
            results.add(memory.measure("Plugboard, echo bundle only", pb, sessions));
        }
        try (Servers.Running pb = servers.plugboard("memory-plugboard-all", all, work.resolve("memory/all"), Map.of())) {
            results.add(memory.measure("Plugboard, every first-party bundle, first start", pb,
                    sessions));
        }
        try (Servers.Running pb = servers.plugboard("memory-plugboard-all", all, work.resolve("memory/all"), Map.of())) {
            results.add(memory.measure("Plugboard, every first-party bundle, restart", pb,
                    sessions));
        }
        try (Servers.Running peer = servers.peer(Servers.Peer.JAVA_SDK, "memory-java-sdk")) {
            results.add(memory.measure(Markdown.JAVA_SDK, peer, sessions));
        }
        try (Servers.Running peer = servers.peer(Servers.Peer.GRIZZLY_BARE, "memory-grizzly-bare")) {
            results.add(memory.measure(Markdown.BARE, peer, sessions));
        }
        if (tsSdk) {
            try (Servers.Running peer = servers.peer(Servers.Peer.TS_SDK_JSON, "memory-ts-sdk")) {
                results.add(memory.measure("TypeScript SDK", peer, sessions));
            }
        }
        return results;
    }

    /** The versions of what was measured. */
    private static final class Versions {
        static Map<String, String> of(Layout layout) throws IOException, InterruptedException {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("Plugboard", jarVersion(layout.distribution().resolve("lib"), "plugboard-host-") + " ("
                    + run(layout.root(), "git", "rev-parse", "--short", "HEAD")
                    + (run(layout.root(), "git", "status", "--porcelain", "--untracked-files=no").isEmpty() ? ""
                            : ", with uncommitted changes") + ")");
            v.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
            v.put("Node.js", run(layout.root(), layout.node().toString(), "--version"));
            Path peerLib = layout.javaSdkPeer().resolveSibling("lib");
            v.put("Java SDK peer", "mcp-core " + jarVersion(peerLib, "mcp-core-") + " on "
                    + container(peerLib));
            Path bareLib = layout.grizzlyBarePeer().resolveSibling("lib");
            v.put("Bare handler peer", "grizzly-http-server " + jarVersion(bareLib, "grizzly-http-server-")
                    + ", jackson-databind " + jarVersion(bareLib, "jackson-databind-"));
            JsonVersion ts = new JsonVersion(layout.tsSdkPeer().resolveSibling(
                    "node_modules/@modelcontextprotocol/sdk/package.json"));
            v.put("TypeScript SDK peer", "@modelcontextprotocol/sdk " + ts.read());
            return v;
        }

        private static String container(Path lib) throws IOException {
            for (String prefix : List.of("jetty-server-", "tomcat-embed-core-", "undertow-core-")) {
                String version = jarVersion(lib, prefix);
                if (!version.equals("unknown")) {
                    return prefix.substring(0, prefix.length() - 1) + " " + version;
                }
            }
            return "unknown container";
        }

        private static String jarVersion(Path folder, String prefix) throws IOException {
            if (!Files.isDirectory(folder)) {
                return "unknown";
            }
            try (var files = Files.list(folder)) {
                return files.map(f -> f.getFileName().toString())
                        .filter(n -> n.startsWith(prefix) && n.endsWith(".jar")
                                && Character.isDigit(n.charAt(prefix.length())))
                        .map(n -> n.substring(prefix.length(), n.length() - 4)).findFirst().orElse("unknown");
            }
        }

        private static String run(Path dir, String... command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        }

        /** The "version" of a package.json. */
        private record JsonVersion(Path file) {
            String read() throws IOException {
                return Files.exists(file) ? new ObjectMapper().readTree(file.toFile()).path("version").asText() : "unknown";
            }
        }
    }
}
