package dev.plugboard.host.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.catalog.CatalogListener;
import dev.plugboard.api.catalog.CatalogView;
import dev.plugboard.api.embedding.EmbeddingService;
import dev.plugboard.api.search.SearchMode;
import dev.plugboard.api.search.SearchRequest;
import dev.plugboard.api.search.SearchService;
import dev.plugboard.host.Plugboard;
import dev.plugboard.host.config.PluginConfigs;
import dev.plugboard.host.embedding.LocalEmbeddings;
import dev.plugboard.host.framework.EmbeddedFramework;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * {@code plugboard search-eval}: indexes a tool corpus with the production search bundle (its
 * analyzer, the host's embeddings, its fusion) in a framework of its own, runs labelled queries and
 * prints Recall@5, Recall@10, nDCG@10, MRR and query latency percentiles per mode.
 */
public final class SearchEvaluation {

    /**
     * What to evaluate.
     *
     * @param tools the tools file (JSON Lines)
     * @param queries the queries file (JSON Lines: {@code {"query","relevant":[ids]}})
     * @param modes the modes to evaluate
     * @param searchBundle the search bundle jar
     * @param systemDir the framework bundles
     * @param dataDir where the embedding cache lives (shared with the server's data folder)
     * @param embeddingModel the embedding model
     * @param searchSettings settings of the search plugin ({@code fusion}, {@code textWeight}, ...)
     * @param maxQueries evaluate at most this many queries (all when 0)
     */
    public record Options(Path tools, Path queries, List<SearchMode> modes, Path searchBundle, Path systemDir,
            Path dataDir, String embeddingModel, Map<String, String> searchSettings, int maxQueries) {
    }

    private record Query(String text, Set<String> relevant) {
    }

    private final ObjectMapper mapper;
    private final PrintStream out;

    /**
     * @param mapper reads the files
     * @param out where the report goes
     */
    public SearchEvaluation(ObjectMapper mapper, PrintStream out) {
        this.mapper = mapper;
        this.out = out;
    }

    /** Runs the evaluation and prints the report. */
    public void run(Options o) throws Exception {
        JsonlCatalog catalog = JsonlCatalog.read(o.tools(), mapper);
        List<Query> queries = queries(o.queries(), o.maxQueries());
        Path work = Files.createTempDirectory("plugboard-search-eval");
        EmbeddedFramework framework = EmbeddedFramework.start(work.resolve("framework"), o.systemDir(),
                Map.of(Plugboard.DATA_PROPERTY, work.toString()));
        try (LocalEmbeddings embeddings = new LocalEmbeddings(o.embeddingModel(), o.dataDir().resolve("embeddings"));
                PluginConfigs configs = new PluginConfigs(framework.context(), work.resolve("config"))) {
            BundleContext context = framework.context();
            context.registerService(EmbeddingService.class, embeddings, null);
            context.registerService(CatalogView.class, catalog, null);
            int cachedBefore = embeddings.cached();
            Map<String, String> settings = new java.util.HashMap<>(o.searchSettings());
            settings.put("folder", work.resolve("index").toString());
            configs.set("dev.plugboard.search", settings);
            ServiceTracker<CatalogListener, CatalogListener> listeners = new ServiceTracker<>(context,
                    CatalogListener.class, null) {
                @Override
                public CatalogListener addingService(ServiceReference<CatalogListener> ref) {
                    CatalogListener l = super.addingService(ref);
                    Thread.ofVirtual().start(() -> l.catalogChanged(catalog));
                    return l;
                }
            };
            listeners.open();
            long start = System.nanoTime();
            Bundle bundle;
            try (InputStream in = Files.newInputStream(o.searchBundle())) {
                bundle = context.installBundle("plugboard:search-eval", in);
            }
            bundle.start();
            SearchService search = awaitIndexed(context, catalog.revision());
            if (!o.modes().equals(List.of(SearchMode.BM25))) {
                search.search(SearchRequest.of("warm up")); // asks for the vectors, computed in the background
                awaitVectors(search);
            }
            double indexSeconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "search-eval: %d tools, %d queries, embeddings %s, search settings %s%n",
                    catalog.items().size(), queries.size(), embeddings.model(), o.searchSettings().isEmpty() ? "default"
                            : o.searchSettings());
            out.printf(Locale.ROOT, "indexing: %.2f s including the model's start (%d embeddings computed, %d cached)%n",
                    indexSeconds, embeddings.cached() - cachedBefore, cachedBefore);
            out.printf(Locale.ROOT, "%-7s %9s %10s %8s %7s %8s %8s %8s%n", "mode", "Recall@5", "Recall@10", "nDCG@10",
                    "MRR", "p50 ms", "p95 ms", "p99 ms");
            evaluateReference(new ReferenceBm25(catalog.items()), queries);
            for (SearchMode mode : o.modes()) {
                evaluate(search, mode, queries);
            }
            listeners.close();
        } finally {
            framework.close();
            deleteQuietly(work);
        }
    }

    private void evaluate(SearchService search, SearchMode mode, List<Query> queries) {
        for (int i = 0; i < Math.min(200, queries.size()); i++) {
            search.search(SearchRequest.of(queries.get(i).text()).withMode(mode));
        }
        RelevanceMetrics metrics = new RelevanceMetrics();
        long[] latencies = new long[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            Query q = queries.get(i);
            long t0 = System.nanoTime();
            var hits = search.search(SearchRequest.of(q.text()).withMode(mode));
            latencies[i] = System.nanoTime() - t0;
            metrics.add(hits.stream().map(h -> h.item().key()).toList(), q.relevant());
        }
        Arrays.sort(latencies);
        out.printf(Locale.ROOT, "%-7s %9.1f %10.1f %8.1f %7.1f %8.2f %8.2f %8.2f%n", mode.name().toLowerCase(Locale.ROOT),
                metrics.recall5(), metrics.recall10(), metrics.ndcg10(), metrics.mrr(), millis(latencies, 0.50),
                millis(latencies, 0.95), millis(latencies, 0.99));
    }

    /** The plain BM25 the production ranking is measured against, in the same run on the same queries. */
    private void evaluateReference(ReferenceBm25 reference, List<Query> queries) {
        RelevanceMetrics metrics = new RelevanceMetrics();
        for (Query q : queries) {
            metrics.add(reference.search(q.text(), 10), q.relevant());
        }
        out.printf(Locale.ROOT, "%-7s %9.1f %10.1f %8.1f %7.1f   (plain BM25 over name, description and parameters)%n",
                "ref-bm25", metrics.recall5(), metrics.recall10(), metrics.ndcg10(), metrics.mrr());
    }

    private static double millis(long[] sorted, double quantile) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private SearchService awaitIndexed(BundleContext context, long revision) throws InterruptedException {
        ServiceTracker<SearchService, SearchService> tracker = new ServiceTracker<>(context, SearchService.class, null);
        tracker.open();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (System.nanoTime() < deadline) {
            SearchService s = tracker.getService();
            if (s != null && s.indexedRevision() >= revision) {
                return s;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IllegalStateException("the search bundle did not index the tools within 30 minutes");
    }

    private static void awaitVectors(SearchService search) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (!search.vectorsReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the search bundle did not compute the vectors within 30 minutes");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private List<Query> queries(Path file, int max) throws IOException {
        List<Query> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null && (max == 0 || out.size() < max);) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode q = mapper.readTree(line);
                Set<String> relevant = new HashSet<>();
                q.path("relevant").forEach(r -> relevant.add(r.asText()));
                out.add(new Query(q.path("query").asText(), relevant));
            }
        }
        return out;
    }

    private static void deleteQuietly(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the system cleans it eventually
        }
    }
}
