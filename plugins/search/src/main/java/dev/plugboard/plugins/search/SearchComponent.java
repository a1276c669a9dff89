package dev.plugboard.plugins.search;

import dev.plugboard.api.catalog.CatalogListener;
import dev.plugboard.api.catalog.CatalogView;
import dev.plugboard.api.embedding.EmbeddingService;
import dev.plugboard.api.health.HealthContributor;
import dev.plugboard.api.search.SearchHit;
import dev.plugboard.api.search.SearchRequest;
import dev.plugboard.api.search.SearchService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The search service: keeps a Lucene index of the catalogue (following it as a catalogue listener)
 * and answers full-text, vector and hybrid searches. Configured under the PID
 * {@code dev.plugboard.search}.
 */
@Component(service = {SearchService.class, CatalogListener.class, HealthContributor.class},
        configurationPid = "dev.plugboard.search", property = HealthContributor.NAME + "=search")
public class SearchComponent implements SearchService, CatalogListener, HealthContributor {

    private static final Logger LOG = Logger.getLogger(SearchComponent.class.getName());
    private static final int DEFAULT_RRF_K = 10;
    private static final double DEFAULT_TEXT_WEIGHT = 0.3;
    private static final double DEFAULT_VECTOR_WEIGHT = 0.7;
    private static final int DEFAULT_CANDIDATES = 100;
    private static final int MAX_CANDIDATES = 1_000;

    /** Settings of search. */
    @ObjectClassDefinition(name = "Plugboard search")
    public @interface Config {
        /** {@code rrf} (weighted reciprocal rank fusion) or {@code blend} (weighted normalised scores). */
        @AttributeDefinition
        String fusion() default "rrf";

        /** The rank constant of reciprocal rank fusion. */
        @AttributeDefinition
        int rrfK() default DEFAULT_RRF_K;

        /** The weight of the full-text ranking in hybrid search. */
        @AttributeDefinition
        double textWeight() default DEFAULT_TEXT_WEIGHT;

        /** The weight of the vector ranking in hybrid search. */
        @AttributeDefinition
        double vectorWeight() default DEFAULT_VECTOR_WEIGHT;

        /** How many hits each ranking contributes before fusion. */
        @AttributeDefinition
        int candidates() default DEFAULT_CANDIDATES;

        /**
         * How much each text field counts in full-text ranking ({@code field=weight,...} over name,
         * title, description, params and all); empty for the default.
         */
        @AttributeDefinition
        String fieldWeights() default "";

        /** Where the index lives; empty for {@code <data>/search}. */
        @AttributeDefinition
        String folder() default "";
    }

    private final CatalogIndex index;
    private final CatalogView catalog;
    private volatile long indexedRevision = -1;
    /** A revision whose indexing failed; not tried again on every search. */
    private volatile long failedRevision = -1;

    /** Opens the index. */
    @Activate
    public SearchComponent(BundleContext context, Config config, @Reference EmbeddingService embeddings,
            @Reference CatalogView catalog) {
        this.catalog = catalog;
        this.index = CatalogIndex.open(folder(context, config), embeddings, fusion(config), fieldWeights(config),
                candidates(config));
    }

    /** The configured fusion; a setting that makes no sense is reported and the default used instead. */
    static Fusion fusion(Config config) {
        try {
            return new Fusion(Fusion.Method.valueOf(config.fusion().trim().toUpperCase(Locale.ROOT)), config.rrfK(),
                    config.textWeight(), config.vectorWeight());
        } catch (RuntimeException e) { // a bad value, or one that is not a number (ComponentException)
            Fusion fallback = new Fusion(Fusion.Method.RRF, DEFAULT_RRF_K, DEFAULT_TEXT_WEIGHT, DEFAULT_VECTOR_WEIGHT);
            LOG.warning(() -> "Ignoring the search fusion settings: " + e.getMessage()
                    + " (fusion must be rrf or blend, rrfK a positive whole number, weights non-negative numbers); using "
                    + fallback);
            return fallback;
        }
    }

    /** The configured field weights; a setting that makes no sense is reported and the default used instead. */
    static FieldWeights fieldWeights(Config config) {
        try {
            return config.fieldWeights().isBlank() ? FieldWeights.DEFAULT : FieldWeights.parse(config.fieldWeights());
        } catch (RuntimeException e) {
            LOG.warning(() -> "Ignoring the search setting fieldWeights: " + e.getMessage() + "; using "
                    + FieldWeights.DEFAULT.weights());
            return FieldWeights.DEFAULT;
        }
    }

    private static int candidates(Config config) {
        int candidates;
        try {
            candidates = config.candidates();
        } catch (RuntimeException e) {
            candidates = -1;
        }
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
            LOG.warning(() -> "Ignoring the search setting candidates: it must be a whole number from 1 to "
                    + MAX_CANDIDATES + "; using " + DEFAULT_CANDIDATES);
            return DEFAULT_CANDIDATES;
        }
        return candidates;
    }

    private static Path folder(BundleContext context, Config config) {
        if (!config.folder().isEmpty()) {
            return Path.of(config.folder());
        }
        String data = context.getProperty("plugboard.data.dir");
        return data != null ? Path.of(data, "search") : context.getDataFile("search").toPath();
    }

    @Override
    public void catalogChanged(CatalogView changed) {
        catchUp(changed);
    }

    /**
     * Searches the catalogue as it is now: a change the index has not followed yet (the listener
     * runs a moment after the change) is indexed first, so a tool is found right after its deploy.
     */
    @Override
    public List<SearchHit> search(SearchRequest request) {
        catchUp(catalog);
        try {
            return index.search(request);
        } catch (IOException e) {
            throw new UncheckedIOException("the search index cannot be read", e);
        }
    }

    private void catchUp(CatalogView view) {
        if (view.revision() <= indexedRevision || view.revision() == failedRevision) {
            return;
        }
        synchronized (index) {
            long revision = view.revision();
            if (revision <= indexedRevision || revision == failedRevision) {
                return;
            }
            try {
                long start = System.nanoTime();
                int written = index.sync(view.items());
                indexedRevision = revision;
                if (written > 0) {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    LOG.info(() -> "Indexed " + written + " catalogue entries in " + millis + " ms; " + index.size()
                            + " in the index");
                }
            } catch (IOException | RuntimeException e) {
                failedRevision = revision;
                LOG.log(Level.WARNING, "Indexing the catalogue failed; searches see the previous state", e);
            }
        }
    }

    @Override
    public long indexedRevision() {
        return indexedRevision;
    }

    @Override
    public boolean vectorsReady() {
        return index.vectorsReady();
    }

    /**
     * The index's state under {@code plugins.search} of {@code /health/ready}: vectors not ready yet is
     * a state (searches answer by full text meanwhile), not a fault.
     */
    @Override
    public Object health() {
        return Map.of("entries", index.size(), "indexedRevision", indexedRevision, "vectors", index.vectorsReady()
                ? "ready" : "not ready: vector and hybrid searches answer by full text (BM25) until they are computed");
    }

    /** Closes the index. */
    @Deactivate
    public void close() throws IOException {
        index.close();
    }
}
