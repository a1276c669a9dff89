package dev.plugboard.plugins.search;

import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.api.embedding.EmbeddingService;
import dev.plugboard.api.search.SearchHit;
import dev.plugboard.api.search.SearchMode;
import dev.plugboard.api.search.SearchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene index of the catalogue: one document per entry, with its text analysed for tool text,
 * its filters, and its embedding for KNN (HNSW) search. It follows the catalogue incrementally (only
 * entries whose content changed are embedded and written again), lives in the data folder, and
 * rebuilds itself when it is missing or cannot be read. One writer; searches use a searcher manager.
 * Thread-safe.
 */
final class CatalogIndex implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CatalogIndex.class.getName());

    static final String ID = "id";
    static final String HASH = "hash";
    static final String KIND = "kind";
    static final String BUNDLE = "bundle";
    static final String READ_ONLY = "readOnly";
    static final String DESTRUCTIVE = "destructive";
    static final String NAME = "name";
    static final String TITLE = "title";
    static final String DESCRIPTION = "description";
    static final String PARAMS = "params";
    static final String VECTOR = "vector";

    /**
     * Text fields and their weights in full-text ranking; each field is scored on its own and the
     * scores are summed (name and description weighed equally scored best on MetaTool, see
     * docs/search.md; parameters count half, being longer and noisier).
     */
    private static final Map<String, Float> FIELDS = Map.of(NAME, 1.0f, TITLE, 1.0f, DESCRIPTION, 1.0f, PARAMS, 0.5f);
    /** The longest query text used; longer text is cut (any text stays a valid query). */
    static final int MAX_QUERY_CHARS = 512;
    /** The most distinct terms a full-text query uses. */
    private static final int MAX_QUERY_TERMS = 64;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Analyzer queryAnalyzer = new ToolTextAnalyzer(false);
    private final EmbeddingService embeddings;
    private final Fusion fusion;
    private final int candidates;
    private volatile Map<String, CatalogItem> items = Map.of();
    private final Map<String, String> hashes = new HashMap<>();
    private boolean closed;

    private CatalogIndex(Directory directory, EmbeddingService embeddings, Fusion fusion, int candidates)
            throws IOException {
        this.directory = directory;
        this.embeddings = embeddings;
        this.fusion = fusion;
        this.candidates = candidates;
        IndexWriterConfig config = new IndexWriterConfig(new ToolTextAnalyzer(true))
                .setSimilarity(new BM25Similarity())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        this.writer = new IndexWriter(directory, config);
        this.searchers = new SearcherManager(writer, null);
        readHashes();
    }

    /**
     * Opens the index in a folder, rebuilding it from nothing when it cannot be read, and falling back
     * to memory when another process holds it.
     *
     * @param folder where the index lives
     * @param embeddings computes vectors
     * @param fusion how hybrid rankings combine
     * @param candidates how many hits each ranking contributes before fusion
     */
    static CatalogIndex open(Path folder, EmbeddingService embeddings, Fusion fusion, int candidates) {
        try {
            Files.createDirectories(folder);
            try {
                return new CatalogIndex(FSDirectory.open(folder), embeddings, fusion, candidates);
            } catch (LockObtainFailedException e) {
                LOG.warning(() -> "The search index in " + folder + " is in use by another process; this one keeps "
                        + "its index in memory");
                return new CatalogIndex(new ByteBuffersDirectory(), embeddings, fusion, candidates);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "The search index in " + folder + " cannot be read (" + e.getMessage()
                        + "); it is rebuilt from the catalogue", e);
                wipe(folder);
                return new CatalogIndex(FSDirectory.open(folder), embeddings, fusion, candidates);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index in " + folder, e);
        }
    }

    /** An index in memory only (for evaluations and tests). */
    static CatalogIndex inMemory(EmbeddingService embeddings, Fusion fusion, int candidates) {
        try {
            return new CatalogIndex(new ByteBuffersDirectory(), embeddings, fusion, candidates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many entries the index holds. */
    int size() {
        return items.size();
    }

    /**
     * Brings the index in line with the catalogue: removes what is gone, and embeds and writes only
     * what is new or changed.
     *
     * @return how many entries were written
     */
    synchronized int sync(List<CatalogItem> catalogue) throws IOException {
        if (closed) {
            return 0;
        }
        Map<String, CatalogItem> next = new HashMap<>();
        Map<String, String> nextHashes = new HashMap<>();
        List<CatalogItem> changed = new ArrayList<>();
        for (CatalogItem item : catalogue) {
            String id = id(item);
            String hash = hash(item);
            next.put(id, item);
            nextHashes.put(id, hash);
            if (!hash.equals(hashes.get(id))) {
                changed.add(item);
            }
        }
        List<Term> gone = new ArrayList<>();
        for (String id : hashes.keySet()) {
            if (!next.containsKey(id)) {
                gone.add(new Term(ID, id));
            }
        }
        List<float[]> vectors = embeddings == null ? null : embeddings.embedDocuments(changed.stream().map(CatalogIndex::embeddingText).toList());
        for (int i = 0; i < changed.size(); i++) {
            CatalogItem item = changed.get(i);
            writer.updateDocument(new Term(ID, id(item)), document(item, nextHashes.get(id(item)),
                    vectors == null ? null : vectors.get(i)));
        }
        if (!gone.isEmpty()) {
            writer.deleteDocuments(gone.toArray(Term[]::new));
        }
        if (!changed.isEmpty() || !gone.isEmpty()) {
            writer.commit();
            searchers.maybeRefreshBlocking();
        }
        hashes.clear();
        hashes.putAll(nextHashes);
        items = Map.copyOf(next);
        return changed.size();
    }

    /** The best entries for a request, best first. */
    List<SearchHit> search(SearchRequest request) throws IOException {
        String query = request.query().length() > MAX_QUERY_CHARS ? request.query().substring(0, MAX_QUERY_CHARS)
                : request.query();
        String text = CONTROL.matcher(query).replaceAll(" ");
        if (text.isBlank()) {
            return List.of();
        }
        Query filter = filter(request);
        IndexSearcher searcher = searchers.acquire();
        try {
            // BM25 is exact, so alone it needs only enough hits to fill the page (a few spare for
            // entries that left the catalogue since the last sync); fewer hits let Lucene skip more.
            int lexicalHits = request.mode() == SearchMode.BM25 ? Math.min(candidates, 2 * request.limit() + 10)
                    : candidates;
            List<Fusion.Scored> lexical = request.mode() == SearchMode.VECTOR ? List.of()
                    : lexical(searcher, text, filter, lexicalHits);
            List<Fusion.Scored> semantic = request.mode() == SearchMode.BM25 || embeddings == null ? List.of()
                    : semantic(searcher, text, filter);
            List<Fusion.Scored> ranked = switch (request.mode()) {
                case BM25 -> lexical;
                case VECTOR -> semantic;
                case HYBRID -> fusion.fuse(lexical, semantic);
            };
            StoredFields stored = searcher.storedFields();
            Map<String, CatalogItem> current = items;
            List<SearchHit> hits = new ArrayList<>(request.limit());
            for (Fusion.Scored s : ranked) {
                CatalogItem item = current.get(stored.document(s.doc(), Set.of(ID)).get(ID));
                if (item != null) {
                    hits.add(new SearchHit(item, s.score()));
                    if (hits.size() == request.limit()) {
                        break;
                    }
                }
            }
            return hits;
        } finally {
            searchers.release(searcher);
        }
    }

    private List<Fusion.Scored> lexical(IndexSearcher searcher, String text, Query filter, int hits)
            throws IOException {
        List<String> terms = terms(text);
        if (terms.isEmpty()) {
            return List.of();
        }
        // One flat disjunction of every term in every field, each weighted by its field: the same sum
        // as per-field disjunctions, and Lucene can skip documents term by term.
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        FIELDS.forEach((field, weight) -> {
            for (String term : terms) {
                Query q = new TermQuery(new Term(field, term));
                any.add(weight == 1f ? q : new BoostQuery(q, weight), BooleanClause.Occur.SHOULD);
            }
        });
        Query query = filter instanceof MatchAllDocsQuery ? any.build()
                : new BooleanQuery.Builder().add(any.build(), BooleanClause.Occur.MUST)
                        .add(filter, BooleanClause.Occur.FILTER).build();
        return scored(searcher.search(query, hits).scoreDocs);
    }

    /** The distinct terms of a query, in order, as the query analyzer makes them. */
    private List<String> terms(String text) throws IOException {
        LinkedHashSet<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = queryAnalyzer.tokenStream(DESCRIPTION, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return List.copyOf(terms);
    }

    private List<Fusion.Scored> semantic(IndexSearcher searcher, String text, Query filter) throws IOException {
        float[] vector = embeddings.embedQuery(text);
        Query knn = new KnnFloatVectorQuery(VECTOR, vector, candidates, filter instanceof MatchAllDocsQuery ? null : filter);
        return scored(searcher.search(knn, candidates).scoreDocs);
    }

    private static List<Fusion.Scored> scored(ScoreDoc[] docs) {
        List<Fusion.Scored> out = new ArrayList<>(docs.length);
        for (ScoreDoc d : docs) {
            out.add(new Fusion.Scored(d.doc, d.score));
        }
        return out;
    }

    private static Query filter(SearchRequest r) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        boolean any = false;
        if (!r.kinds().isEmpty()) {
            b.add(new TermInSetQuery(KIND, r.kinds().stream().map(k -> new BytesRef(k.name())).toList()),
                    BooleanClause.Occur.FILTER);
            any = true;
        }
        if (!r.bundles().isEmpty()) {
            b.add(new TermInSetQuery(BUNDLE, r.bundles().stream().map(BytesRef::new).toList()), BooleanClause.Occur.FILTER);
            any = true;
        }
        if (r.readOnly() != null) {
            b.add(new TermQuery(new Term(READ_ONLY, r.readOnly().toString())), BooleanClause.Occur.FILTER);
            any = true;
        }
        if (r.destructive() != null) {
            b.add(new TermQuery(new Term(DESTRUCTIVE, r.destructive().toString())), BooleanClause.Occur.FILTER);
            any = true;
        }
        return any ? b.build() : MatchAllDocsQuery.INSTANCE;
    }

    private Document document(CatalogItem item, String hash, float[] vector) {
        Document d = new Document();
        d.add(new StringField(ID, id(item), Field.Store.YES));
        d.add(new StringField(HASH, hash, Field.Store.YES));
        d.add(new StringField(KIND, item.kind().name(), Field.Store.NO));
        if (item.bundle() != null) {
            d.add(new StringField(BUNDLE, item.bundle(), Field.Store.NO));
        }
        if (item.hints() != null) {
            d.add(new StringField(READ_ONLY, Boolean.toString(item.hints().readOnly()), Field.Store.NO));
            d.add(new StringField(DESTRUCTIVE, Boolean.toString(item.hints().destructive()), Field.Store.NO));
        }
        d.add(new TextField(NAME, item.name(), Field.Store.NO));
        if (item.title() != null) {
            d.add(new TextField(TITLE, item.title(), Field.Store.NO));
        }
        if (item.description() != null) {
            d.add(new TextField(DESCRIPTION, item.description(), Field.Store.NO));
        }
        StringBuilder params = new StringBuilder();
        for (CatalogItem.Parameter p : item.parameters()) {
            params.append(p.name()).append(' ');
            if (p.description() != null) {
                params.append(p.description()).append(". ");
            }
        }
        if (!params.isEmpty()) {
            d.add(new TextField(PARAMS, params.toString(), Field.Store.NO));
        }
        if (vector != null) {
            d.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        }
        return d;
    }

    /**
     * The text whose embedding stands for an entry: its name as words, then its title and
     * description ({@code "get current time: Current time. Tells the time in a zone"}).
     */
    static String embeddingText(CatalogItem item) {
        StringBuilder text = new StringBuilder(words(item.name()));
        String separator = ": ";
        if (item.title() != null && !item.title().equalsIgnoreCase(item.name())) {
            text.append(separator).append(item.title());
            separator = ". ";
        }
        if (item.description() != null) {
            text.append(separator).append(item.description());
        }
        return text.toString();
    }

    /** An identifier as words: {@code get_currentTime}, {@code HTTPServer2} become {@code get current Time}, {@code HTTP Server 2}. */
    static String words(String identifier) {
        return identifier.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
                .replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2")
                .replaceAll("([a-zA-Z])([0-9])", "$1 $2")
                .replaceAll("([0-9])([a-zA-Z])", "$1 $2")
                .replaceAll("[_\\-.:/]+", " ").trim();
    }

    static String id(CatalogItem item) {
        return item.kind().name() + ":" + item.key();
    }

    private String hash(CatalogItem item) {
        String model = embeddings == null ? "-" : embeddings.model();
        String content = String.join("\u0000", model, item.kind().name(), item.key(), item.name(),
                String.valueOf(item.title()), String.valueOf(item.description()), String.valueOf(item.bundle()),
                String.valueOf(item.hints()), item.parameters().toString());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void readHashes() throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                LeafReader r = leaf.reader();
                Bits live = r.getLiveDocs();
                StoredFields stored = r.storedFields();
                for (int doc = 0; doc < r.maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        Document d = stored.document(doc);
                        hashes.put(d.get(ID), d.get(HASH));
                    }
                }
            }
        }
    }

    private static void wipe(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Closes the index, after a sync in progress has finished; later syncs do nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        searchers.close();
        writer.close();
        directory.close();
    }
}
