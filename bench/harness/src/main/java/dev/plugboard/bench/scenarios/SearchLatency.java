package dev.plugboard.bench.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.bench.servers.Layout;
import dev.plugboard.bench.servers.Servers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Search at catalogue sizes beyond the shipped corpus: MetaTool's 199 tools are repeated as distinct
 * editions (each with its own name and text, so each gets its own embedding) up to 1,000 and 10,000
 * tools, then {@code plugboard search-eval} indexes them twice with one data folder (first computing
 * every embedding, then reading them from the cache) and times MetaTool's queries in every mode.
 */
public final class SearchLatency {

    /**
     * Query latency of one mode, in milliseconds (single thread, after a warm-up).
     *
     * @param mode bm25, vector or hybrid
     * @param p50 the median
     * @param p95 the 95th percentile
     * @param p99 the 99th percentile
     */
    public record Mode(String mode, double p50, double p95, double p99) {
    }

    /**
     * What one catalogue size measured.
     *
     * @param tools how many tools
     * @param queries how many queries were timed per mode
     * @param indexSecondsComputing indexing time when every embedding is computed (model start included)
     * @param indexSecondsCached indexing time when every embedding is in the cache
     * @param modes query latency per mode
     */
    public record Result(int tools, int queries, double indexSecondsComputing, double indexSecondsCached,
            List<Mode> modes) {

        /** Tools indexed per second with embeddings computed. */
        public double toolsPerSecondComputing() {
            return tools / indexSecondsComputing;
        }

        /** Tools indexed per second with embeddings cached. */
        public double toolsPerSecondCached() {
            return tools / indexSecondsCached;
        }
    }

    private static final Pattern INDEXING = Pattern.compile("indexing: ([0-9.]+) s .*\\((\\d+) embeddings computed, "
            + "(\\d+) cached\\)");
    private static final Pattern MODE = Pattern.compile(
            "^(bm25|vector|hybrid)\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s*$");

    private final Servers servers;
    private final ObjectMapper mapper;

    /**
     * @param servers runs commands pinned like the servers
     * @param mapper reads and writes JSON
     */
    public SearchLatency(Servers servers, ObjectMapper mapper) {
        this.servers = servers;
        this.mapper = mapper;
    }

    /** Measures one catalogue size. */
    public Result run(Path metatool, int tools, int queries) throws IOException, InterruptedException {
        Path folder = servers.layout().work().resolve("search-" + tools);
        Files.createDirectories(folder);
        Path toolsFile = folder.resolve("tools.jsonl");
        writeTools(metatool.resolve("tools.jsonl"), toolsFile, tools);
        Path data = folder.resolve("data");
        Layout.deleteTree(data);
        List<String> computing = evaluate(toolsFile, metatool.resolve("queries.jsonl"), data, queries, "computing");
        List<String> cached = evaluate(toolsFile, metatool.resolve("queries.jsonl"), data, queries, "cached");
        double first = indexing(computing, tools, 0);
        double second = indexing(cached, 0, tools);
        List<Mode> modes = new ArrayList<>();
        for (String line : cached) {
            Matcher m = MODE.matcher(line);
            if (m.matches()) {
                modes.add(new Mode(m.group(1), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                        Double.parseDouble(m.group(4))));
            }
        }
        if (modes.size() != 3) {
            throw new IOException("search-eval printed " + modes.size() + " modes:\n" + String.join("\n", cached));
        }
        return new Result(tools, queries, first, second, modes);
    }

    /** Writes MetaTool's tools repeated as distinct editions up to the given count. */
    void writeTools(Path source, Path target, int count) throws IOException {
        List<JsonNode> base = new ArrayList<>();
        for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                base.add(mapper.readTree(line));
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                JsonNode tool = base.get(i % base.size());
                int edition = i / base.size();
                ObjectNode copy = mapper.createObjectNode();
                String suffix = edition == 0 ? "" : "_" + edition;
                copy.put("id", tool.path("id").asText() + suffix);
                copy.put("name", tool.path("name").asText() + suffix);
                copy.put("description", tool.path("description").asText()
                        + (edition == 0 ? "" : " Edition " + edition + "."));
                out.write(mapper.writeValueAsString(copy));
                out.newLine();
            }
        }
    }

    private List<String> evaluate(Path tools, Path queries, Path data, int max, String pass)
            throws IOException, InterruptedException {
        List<String> command = servers.pinned(List.of(servers.layout().plugboard().toString(), "search-eval",
                "--tools", tools.toString(), "--queries", queries.toString(), "--max-queries", Integer.toString(max),
                "--data", data.toString()));
        Path log = servers.log("search-eval-" + tools.getParent().getFileName() + "-" + pass);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PLUGBOARD_JAVA", servers.layout().java().toString());
        Process p = builder.start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("search-eval failed; see " + log);
        }
        return Files.readAllLines(log);
    }

    private static double indexing(List<String> lines, int expectComputed, int expectCached) throws IOException {
        for (String line : lines) {
            Matcher m = INDEXING.matcher(line);
            if (m.find()) {
                int computed = Integer.parseInt(m.group(2));
                if (expectComputed > 0 && computed != expectComputed) {
                    throw new IOException("expected " + expectComputed + " embeddings computed: " + line);
                }
                if (expectCached > 0 && computed != 0) {
                    throw new IOException("expected every embedding cached: " + line);
                }
                return Double.parseDouble(m.group(1));
            }
        }
        throw new IOException("search-eval printed no indexing line");
    }
}
