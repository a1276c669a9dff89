package dev.plugboard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's arguments.
 *
 * @param root the repository
 * @param out where results are written
 * @param node the Node.js launcher for the TypeScript peer
 * @param metatool the MetaTool folder (tools.jsonl, queries.jsonl)
 * @param scenarios which scenarios to run
 * @param concurrency client counts for the load
 * @param repeats how many times each load run is repeated (interleaved)
 * @param warmup unmeasured load before each run
 * @param measure measured load per run
 * @param deployCycles drop, replace, delete cycles
 * @param starts start-up runs per case
 * @param sessions sessions opened for the memory figure
 * @param searchSizes catalogue sizes for search
 * @param searchQueries queries timed per search mode
 * @param serverCpus CPUs the servers are pinned to, or null
 * @param clientCpus CPUs the load generator is pinned to (by bench/run), or null
 * @param quick whether this is the short run
 * @param baseline another built repository whose Plugboard runs beside this one in the load runs
 *     (labelled {@value #BASELINE}), or null
 * @param peers which peers the load runs include: {@value #BARE_PEER}, {@value #JAVA_SDK_PEER},
 *     {@value #TS_SDK_PEER} (start-up and memory always measure the bare handler and the Java SDK, and
 *     the TypeScript SDK when it is listed)
 * @param apiKey whether the load runs add targets that send an API key
 */
record Options(Path root, Path out, Path node, Path metatool, Set<String> scenarios, List<Integer> concurrency,
        int repeats, Duration warmup, Duration measure, int deployCycles, int starts, int sessions,
        List<Integer> searchSizes, int searchQueries, String serverCpus, String clientCpus, boolean quick,
        Path baseline, Set<String> peers, boolean apiKey) {

    /** The server label of the baseline's Plugboard. */
    static final String BASELINE = "Plugboard baseline";

    /** The bare Grizzly + Jackson echo handler, in {@code --peers}. */
    static final String BARE_PEER = "bare";
    /** The official Java SDK's server, in {@code --peers}. */
    static final String JAVA_SDK_PEER = "java-sdk";
    /** The official TypeScript SDK's server (JSON and SSE responses), in {@code --peers}. */
    static final String TS_SDK_PEER = "ts-sdk";
    private static final List<String> PEERS = List.of(BARE_PEER, JAVA_SDK_PEER, TS_SDK_PEER);

    static final Set<String> SCENARIOS = Set.of("throughput", "hotdeploy", "startup", "memory", "search",
            "misbehaving", "proxy", "redis");

    static final String USAGE = """
            usage: bench [--quick] [--only throughput,hotdeploy,startup,memory,search,misbehaving,proxy,redis] [--repeats N]
                         [--warmup SECONDS] [--measure SECONDS] [--concurrency 1,16,64]
                         [--server-cpus LIST] [--client-cpus LIST] [--baseline REPOSITORY]
                         [--peers on|off|bare,java-sdk,ts-sdk]
                         [--api-key on|off]
                         --root DIR --node PATH --metatool DIR [--out DIR]""";

    static Options parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--quick")) {
                quick = true;
            } else if (flag.startsWith("--") && i + 1 < args.length) {
                a.put(flag.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + flag);
            }
        }
        for (String required : List.of("root", "node", "metatool")) {
            if (!a.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        Path root = Path.of(a.remove("root")).toAbsolutePath().normalize();
        Path baseline = a.containsKey("baseline") ? Path.of(a.remove("baseline")).toAbsolutePath().normalize() : null;
        Set<String> peers = peers(a.getOrDefault("peers", "on"));
        a.remove("peers");
        String apiKey = a.getOrDefault("api-key", "off");
        if (!apiKey.equals("on") && !apiKey.equals("off")) {
            throw new IllegalArgumentException("--api-key takes on or off, not " + apiKey);
        }
        a.remove("api-key");
        Set<String> scenarios = a.containsKey("only") ? Set.of(a.remove("only").split(",")) : SCENARIOS;
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s);
            }
        }
        Options o = new Options(root, Path.of(a.getOrDefault("out", root.resolve("bench/results").toString())),
                Path.of(a.remove("node")), Path.of(a.remove("metatool")), scenarios,
                ints(a.getOrDefault("concurrency", "1,16,64")), integer(a, "repeats", quick ? 1 : 3),
                Duration.ofSeconds(integer(a, "warmup", quick ? 2 : 5)),
                Duration.ofSeconds(integer(a, "measure", quick ? 4 : 10)), quick ? 5 : 20, quick ? 2 : 5,
                quick ? 200 : 1_000, quick ? List.of(1_000) : List.of(1_000, 10_000), quick ? 300 : 2_000,
                a.get("server-cpus"), a.get("client-cpus"), quick, baseline, peers,
                apiKey.equals("on"));
        a.keySet().removeAll(Set.of("out", "concurrency", "repeats", "warmup", "measure", "only", "server-cpus",
                "client-cpus"));
        if (!a.isEmpty()) {
            throw new IllegalArgumentException("unknown option --" + a.keySet().iterator().next());
        }
        return o;
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    /** The settings, for the report. */
    Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("scenarios", String.join(",", SCENARIOS.stream().filter(scenarios::contains).sorted().toList()));
        d.put("load", concurrency + " clients, " + repeats + " repeats of " + warmup.toSeconds() + " s warm-up + "
                + measure.toSeconds() + " s measured, interleaved");
        if (baseline != null) {
            d.put("baseline", BASELINE + " from " + baseline);
        }
        if (!peers.containsAll(PEERS)) {
            d.put("peers", peers.isEmpty() ? "off" : "only " + String.join(", ", PEERS.stream()
                    .filter(peers::contains).toList()));
        }
        if (apiKey) {
            d.put("api key", "the 'Plugboard key' targets send an API key (role user) on every request");
        }
        d.put("hot deploy cycles", Integer.toString(deployCycles));
        d.put("start-up runs", Integer.toString(starts));
        d.put("memory sessions", Integer.toString(sessions));
        d.put("search", searchSizes + " tools, " + searchQueries + " queries per mode");
        return d;
    }

    /** Whether the runs include a peer ({@link #BARE_PEER}, {@link #JAVA_SDK_PEER}, {@link #TS_SDK_PEER}). */
    boolean loads(String peer) {
        return peers.contains(peer);
    }

    /** {@code on} (every peer), {@code off} (none) or a list of peers. */
    private static Set<String> peers(String value) {
        if (value.equals("on")) {
            return Set.copyOf(PEERS);
        }
        if (value.equals("off")) {
            return Set.of();
        }
        Set<String> peers = Set.of(value.split(","));
        for (String p : peers) {
            if (!PEERS.contains(p)) {
                throw new IllegalArgumentException("--peers takes on, off or a list of " + String.join(", ", PEERS)
                        + ", not " + value);
            }
        }
        return peers;
    }

    private static List<Integer> ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private static int integer(Map<String, String> a, String key, int fallback) {
        String v = a.get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a whole number, not " + v);
        }
    }
}
