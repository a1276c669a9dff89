package dev.plugboard.host.cli;

import dev.plugboard.api.search.SearchMode;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.evaluation.SearchEvaluation;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plugboard search-eval}: measures search quality and latency on a labelled corpus. */
@Command(name = "search-eval", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Measure search quality (Recall@5, Recall@10, nDCG@10, MRR) and query latency on a labelled "
                + "corpus, with the production search bundle.")
final class SearchEvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions options;

    @Option(names = "--tools", paramLabel = "FILE", required = true,
            description = "Tools, one JSON object a line: {\"id\",\"name\",\"description\"}.")
    Path tools;

    @Option(names = "--queries", paramLabel = "FILE", required = true,
            description = "Queries, one a line: {\"query\",\"relevant\":[tool ids]}.")
    Path queries;

    @Option(names = "--mode", paramLabel = "MODE", description = "bm25, vector or hybrid (default: all three).")
    SearchMode mode;

    @Option(names = "--max-queries", paramLabel = "N", description = "Evaluate the first N queries only.")
    int maxQueries;

    @Option(names = "--fusion", paramLabel = "F", description = "rrf or blend.")
    String fusion;

    @Option(names = "--rrf-k", paramLabel = "K", description = "The k of reciprocal rank fusion.")
    String rrfK;

    @Option(names = "--text-weight", paramLabel = "W", description = "The text weight of blend fusion.")
    String textWeight;

    @Option(names = "--vector-weight", paramLabel = "W", description = "The vector weight of blend fusion.")
    String vectorWeight;

    @Option(names = "--field-weights", paramLabel = "W",
            description = "Full-text field weights, field=weight,... over name, title, description, params, all.")
    String fieldWeights;

    @Option(names = "--search-bundle", paramLabel = "JAR",
            description = "The search bundle jar (default <bundles>/plugboard-search.jar).")
    Path searchBundle;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        PrintStream stdout = System.out;
        try {
            HostConfig config = options.load(Main.home()).config();
            LogSetup.configure(config.logLevel().equals("INFO") ? "WARNING" : config.logLevel(), config.logFile());
            List<SearchMode> modes = mode != null ? List.of(mode)
                    : List.of(SearchMode.BM25, SearchMode.VECTOR, SearchMode.HYBRID);
            Map<String, String> search = new LinkedHashMap<>();
            putIfGiven(search, "fusion", fusion);
            putIfGiven(search, "rrfK", rrfK);
            putIfGiven(search, "textWeight", textWeight);
            putIfGiven(search, "vectorWeight", vectorWeight);
            putIfGiven(search, "fieldWeights", fieldWeights);
            Path bundle = searchBundle != null ? searchBundle : config.bundlesDir().resolve("plugboard-search.jar");
            new SearchEvaluation(new JsonRpcCodec().mapper(), stdout).run(new SearchEvaluation.Options(
                    tools, queries, modes, bundle, config.systemDir(), config.dataDir(), config.embeddingModel(),
                    search, maxQueries));
            return 0;
        } catch (HostOptions.Refused | IllegalArgumentException e) {
            err.println("plugboard search-eval: " + e.getMessage());
            return Main.USAGE;
        } catch (Exception e) {
            err.println("plugboard search-eval: " + e);
            return Main.FAILED;
        }
    }

    private static void putIfGiven(Map<String, String> search, String key, String value) {
        if (value != null) {
            search.put(key, value);
        }
    }
}
