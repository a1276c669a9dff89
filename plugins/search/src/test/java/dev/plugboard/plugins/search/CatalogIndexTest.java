package dev.plugboard.plugins.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.api.embedding.EmbeddingService;
import dev.plugboard.api.search.SearchHit;
import dev.plugboard.api.search.SearchMode;
import dev.plugboard.api.search.SearchRequest;
import dev.plugboard.host.embedding.LocalEmbeddings;
import dev.plugboard.plugins.search.LabelledCatalogue.Labelled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The index on disk, with the host's real embedding model. */
class CatalogIndexTest {

    /** The real model, counting the documents it is asked to embed. */
    static final class CountingEmbeddings implements EmbeddingService {
        final EmbeddingService model;
        final AtomicInteger documents = new AtomicInteger();
        final AtomicInteger queries = new AtomicInteger();

        CountingEmbeddings(EmbeddingService model) {
            this.model = model;
        }

        @Override
        public String model() {
            return model.model();
        }

        @Override
        public int dimensions() {
            return model.dimensions();
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            documents.addAndGet(texts.size());
            return model.embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String text) {
            queries.incrementAndGet();
            return model.embedQuery(text);
        }
    }

    private static final Fusion FUSION = new Fusion(Fusion.Method.RRF, 10, 0.3, 0.7);
    private static LocalEmbeddings model;

    @TempDir
    Path folder;

    @BeforeAll
    static void loadModel() {
        model = new LocalEmbeddings("all-minilm-l6-v2-q", null);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private CatalogIndex open(CountingEmbeddings embeddings) {
        return CatalogIndex.open(folder.resolve("index"), embeddings, FUSION, FieldWeights.DEFAULT, 100);
    }

    /** Indexes the entries, asks for vectors and waits until the background has written them. */
    private static void syncWithVectors(CatalogIndex index, List<CatalogItem> entries) throws IOException {
        index.sync(entries);
        index.wantVectors();
        awaitVectors(index);
    }

    private static void awaitVectors(CatalogIndex index) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!index.vectorsReady()) {
            assertThat(System.nanoTime()).as("vectors ready within two minutes").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static List<String> keys(List<SearchHit> hits) {
        return hits.stream().map(h -> h.item().key()).toList();
    }

    private static double meanReciprocalRank(CatalogIndex index, List<Labelled> queries, SearchMode mode)
            throws IOException {
        double sum = 0;
        for (Labelled q : queries) {
            int rank = keys(index.search(SearchRequest.of(q.text()).withMode(mode))).indexOf(q.expected());
            sum += rank < 0 ? 0 : 1.0 / (rank + 1);
        }
        return sum / queries.size();
    }

    @ParameterizedTest
    @EnumSource(SearchMode.class)
    void queriesThatShareWordsWithAnEntryFindItFirstInEveryMode(SearchMode mode) throws IOException {
        try (CatalogIndex index = open(new CountingEmbeddings(model))) {
            syncWithVectors(index, LabelledCatalogue.entries());
            for (Labelled q : LabelledCatalogue.lexicalQueries()) {
                List<String> found = keys(index.search(SearchRequest.of(q.text()).withMode(mode)));
                assertThat(found).as("%s in %s", q.text(), mode).isNotEmpty();
                assertThat(found.subList(0, Math.min(3, found.size()))).as("%s in %s", q.text(), mode).contains(q.expected());
            }
            assertThat(meanReciprocalRank(index, LabelledCatalogue.lexicalQueries(), mode)).as("MRR in %s", mode)
                    .isGreaterThanOrEqualTo(0.85);
        }
    }

    @Test
    void meaningFindsWhatWordsMissAndHybridKeepsIt() throws IOException {
        try (CatalogIndex index = open(new CountingEmbeddings(model))) {
            syncWithVectors(index, LabelledCatalogue.entries());
            double words = meanReciprocalRank(index, LabelledCatalogue.paraphrasedQueries(), SearchMode.BM25);
            double meaning = meanReciprocalRank(index, LabelledCatalogue.paraphrasedQueries(), SearchMode.VECTOR);
            double hybrid = meanReciprocalRank(index, LabelledCatalogue.paraphrasedQueries(), SearchMode.HYBRID);
            assertThat(meaning).isGreaterThanOrEqualTo(0.7).isGreaterThan(words);
            assertThat(hybrid).isGreaterThanOrEqualTo(0.7).isGreaterThan(words);
        }
    }

    @Test
    void filtersNarrowByKindBundleAndAnnotation() throws IOException {
        try (CatalogIndex index = open(new CountingEmbeddings(model))) {
            syncWithVectors(index, LabelledCatalogue.entries());
            for (SearchMode mode : SearchMode.values()) {
                SearchRequest files = SearchRequest.of("file").withMode(mode).withLimit(20);
                assertThat(index.search(files.withReadOnly(true))).extracting(h -> h.item().hints().readOnly())
                        .isNotEmpty().containsOnly(true);
                assertThat(keys(index.search(files.withReadOnly(true)))).doesNotContain("delete_file");
                assertThat(keys(index.search(files.withDestructive(true)))).startsWith("delete_file")
                        .isSubsetOf("delete_file", "drop_table");
                assertThat(index.search(files.withBundles(Set.of("acme.files")))).extracting(h -> h.item().bundle())
                        .containsOnly("acme.files").hasSize(3);
                assertThat(keys(index.search(SearchRequest.of("weather").withMode(mode)
                        .withKinds(Set.of(CatalogItem.Kind.RESOURCE_TEMPLATE))))).containsExactly("weather://stations/{id}");
                assertThat(keys(index.search(SearchRequest.of("review my code change").withMode(mode)
                        .withKinds(Set.of(CatalogItem.Kind.PROMPT))))).containsExactly("code_review");
            }
        }
    }

    @Test
    void followsChangesIncrementallyAndEmbedsOnlyWhatChanged() throws IOException {
        CountingEmbeddings embeddings = new CountingEmbeddings(model);
        try (CatalogIndex index = open(embeddings)) {
            List<CatalogItem> entries = new ArrayList<>(LabelledCatalogue.entries());
            assertThat(index.sync(entries)).isEqualTo(entries.size());
            index.wantVectors();
            awaitVectors(index);
            assertThat(embeddings.documents).hasValue(entries.size());

            assertThat(index.sync(entries)).isZero();
            assertThat(embeddings.documents).hasValue(entries.size());

            entries.set(0, LabelledCatalogue.tool("get_weather_forecast", "Tells whether to take an umbrella.", null,
                    "acme.weather"));
            entries.add(LabelledCatalogue.tool("play_music", "Plays a song by name.", null, "acme.music"));
            entries.removeIf(i -> i.key().equals("git_commit"));
            assertThat(index.sync(entries)).isEqualTo(2);
            assertThat(embeddings.documents).hasValue(LabelledCatalogue.entries().size() + 2);
            assertThat(index.size()).isEqualTo(entries.size());

            for (SearchMode mode : SearchMode.values()) {
                assertThat(keys(index.search(SearchRequest.of("play a song").withMode(mode)))).first().isEqualTo("play_music");
                assertThat(keys(index.search(SearchRequest.of("git commit").withMode(mode).withLimit(100))))
                        .doesNotContain("git_commit");
            }
            assertThat(keys(index.search(SearchRequest.of("umbrella").withMode(SearchMode.BM25))))
                    .containsExactly("get_weather_forecast");
        }
    }

    @Test
    void answersByFullTextUntilTheVectorsAreReadyAndLoadsNoModelBefore() throws IOException {
        CountingEmbeddings embeddings = new CountingEmbeddings(model);
        try (CatalogIndex index = open(embeddings)) {
            index.sync(LabelledCatalogue.entries());
            assertThat(embeddings.documents).hasValue(0);
            assertThat(index.vectorsReady()).isFalse();
            assertThat(keys(index.search(SearchRequest.of("send an email").withMode(SearchMode.BM25))))
                    .first().isEqualTo("send_email");
            assertThat(embeddings.queries).hasValue(0);

            for (SearchMode mode : List.of(SearchMode.VECTOR, SearchMode.HYBRID)) {
                List<SearchHit> hits = index.search(SearchRequest.of("send an email").withMode(mode));
                if (!index.vectorsReady()) {
                    assertThat(hits).isEqualTo(index.search(SearchRequest.of("send an email").withMode(SearchMode.BM25)));
                }
            }
            awaitVectors(index);
            assertThat(embeddings.documents).hasValue(LabelledCatalogue.entries().size());
            assertThat(keys(index.search(SearchRequest.of("make the photo smaller").withMode(SearchMode.VECTOR))))
                    .first().isEqualTo("resizeImage");
        }
    }

    @Test
    void aSmallChangeAfterTheVectorsAreReadyIsEmbeddedInItsSync() throws IOException {
        CountingEmbeddings embeddings = new CountingEmbeddings(model);
        try (CatalogIndex index = open(embeddings)) {
            syncWithVectors(index, LabelledCatalogue.entries());
            List<CatalogItem> entries = new ArrayList<>(LabelledCatalogue.entries());
            entries.add(LabelledCatalogue.tool("play_music", "Plays a song by name.", null, "acme.music"));
            index.sync(entries);
            assertThat(embeddings.documents).hasValue(entries.size());
            assertThat(keys(index.search(SearchRequest.of("put on a tune").withMode(SearchMode.VECTOR))))
                    .first().isEqualTo("play_music");
        }
    }

    @Test
    void survivesARestartWithoutEmbeddingAgain() throws IOException {
        try (CatalogIndex index = open(new CountingEmbeddings(model))) {
            syncWithVectors(index, LabelledCatalogue.entries());
        }
        CountingEmbeddings second = new CountingEmbeddings(model);
        try (CatalogIndex index = open(second)) {
            assertThat(index.sync(LabelledCatalogue.entries())).isZero();
            index.wantVectors();
            awaitVectors(index);
            assertThat(second.documents).hasValue(0);
            assertThat(keys(index.search(SearchRequest.of("make the photo smaller").withMode(SearchMode.VECTOR))))
                    .first().isEqualTo("resizeImage");
        }
    }

    @Test
    void rebuildsAnIndexThatCannotBeRead() throws IOException {
        try (CatalogIndex index = open(new CountingEmbeddings(model))) {
            syncWithVectors(index, LabelledCatalogue.entries());
        }
        try (var files = Files.list(folder.resolve("index"))) {
            for (Path f : files.filter(p -> !p.getFileName().toString().equals("write.lock")).toList()) {
                Files.write(f, "not a Lucene file".getBytes());
            }
        }
        CountingEmbeddings embeddings = new CountingEmbeddings(model);
        try (CatalogIndex index = open(embeddings)) {
            assertThat(index.sync(LabelledCatalogue.entries())).isEqualTo(LabelledCatalogue.entries().size());
            assertThat(keys(index.search(SearchRequest.of("send an email")))).first().isEqualTo("send_email");
        }
    }

    @Test
    void aSecondProcessOnTheSameFolderIndexesInMemory() throws IOException {
        try (CatalogIndex first = open(new CountingEmbeddings(model));
                CatalogIndex second = open(new CountingEmbeddings(model))) {
            syncWithVectors(first, LabelledCatalogue.entries());
            syncWithVectors(second, LabelledCatalogue.entries().subList(0, 3));
            assertThat(first.size()).isEqualTo(LabelledCatalogue.entries().size());
            assertThat(keys(second.search(SearchRequest.of("send an email")))).first().isEqualTo("send_email");
            assertThat(keys(second.search(SearchRequest.of("drop table").withMode(SearchMode.BM25)))).isEmpty();
        }
    }

    @Test
    void aSyncAfterClosingDoesNothing() throws IOException {
        CountingEmbeddings embeddings = new CountingEmbeddings(model);
        CatalogIndex index = open(embeddings);
        index.close();
        assertThat(index.sync(LabelledCatalogue.entries())).isZero();
        assertThat(embeddings.documents).hasValue(0);
        index.close();
    }

    @ParameterizedTest
    @EnumSource(SearchMode.class)
    void anyTextIsAValidQuery(SearchMode mode) throws IOException {
        List<String> odd = List.of("", "   ", "x".repeat(10_240), "weather ".repeat(1_500), "!!!???...", "()[]{}<>",
                "title:foo AND (bar OR baz*) ~2 \"unclosed", "\\", "*", "?", "-", "+weather -rain", "name:/regex.*/",
                "天気予報を教えて", "погода в Москве", "الطقس اليوم", "🌦️ weather", "\u0000\u0001", "NOT", "a the of");
        try (CatalogIndex index = open(new CountingEmbeddings(model))) {
            syncWithVectors(index, LabelledCatalogue.entries());
            for (String query : odd) {
                List<SearchHit> hits = index.search(SearchRequest.of(query).withMode(mode));
                assertThat(hits).as("query %.40s", query).hasSizeLessThanOrEqualTo(10);
                if (query.isBlank()) {
                    assertThat(hits).isEmpty();
                }
            }
            assertThat(keys(index.search(SearchRequest.of("+weather -rain").withMode(mode)))).first()
                    .isIn("get_weather_forecast", "weather://stations/{id}");
        }
    }
}
