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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
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
    /** The whole entry's text in one field: name, title, description and parameters. */
    static final String ALL = "all";
    static final String VECTOR = "vector";
    /** Stored on a document that has its vector. */
    static final String VECTORED = "vectored";
    /** How many entries the background embeds and writes at a time. */
    private static final int VECTOR_BATCH = 128;
    /** A change this small is embedded at once, in the sync, once the model is loaded. */
    private static final int INLINE_VECTORS = 64;

    /** Changes when the documents' fields change, so that an index written before is written again. */
    private static final String DOCUMENT_VERSION = "2";
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
    private final FieldWeights fields;
    private final int candidates;
    private volatile Map<String, CatalogItem> items = Map.of();
    private final Map<String, String> hashes = new HashMap<>();
    /** Entries indexed for full text whose vector is not written yet (guarded by this). */
    private final Set<String> withoutVector = new HashSet<>();
    /** Computes vectors in the background: one thread, started only once vectors are wanted. */
    private ExecutorService vectorWorker;
    /** A background pass is scheduled or running (guarded by this). */
    private boolean vectorPassScheduled;
    /** Something asked for vectors (a vector or hybrid search): the background computes them. */
    private volatile boolean vectorsWanted;
    /** The model is loaded and the first background pass wrote every vector. */
    private volatile boolean vectorsReady;
    /** Computing vectors failed; searches stay full-text only. */
    private volatile boolean vectorsFailed;
    private boolean closed;

    private CatalogIndex(Directory directory, EmbeddingService embeddings, Fusion fusion, FieldWeights fields,
            int candidates) throws IOException {
        this.directory = directory;
        this.embeddings = embeddings;
        this.fusion = fusion;
        this.fields = fields;
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
     * @param fields how much each text field counts in full-text ranking
     * @param candidates how many hits each ranking contributes before fusion
     */
    static CatalogIndex open(Path folder, EmbeddingService embeddings, Fusion fusion, FieldWeights fields,
            int candidates) {
        try {
            Files.createDirectories(folder);
            try {
                return new CatalogIndex(FSDirectory.open(folder), embeddings, fusion, fields, candidates);
            } catch (LockObtainFailedException e) {
                LOG.warning(() -> "The search index in " + folder + " is in use by another process; this one keeps "
                        + "its index in memory");
                return new CatalogIndex(new ByteBuffersDirectory(), embeddings, fusion, fields, candidates);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "The search index in " + folder + " cannot be read (" + e.getMessage()
                        + "); it is rebuilt from the catalogue", e);
                wipe(folder);
                return new CatalogIndex(FSDirectory.open(folder), embeddings, fusion, fields, candidates);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index in " + folder, e);
        }
    }

    /** An index in memory only (for evaluations and tests). */
    static CatalogIndex inMemory(EmbeddingService embeddings, Fusion fusion, FieldWeights fields, int candidates) {
        try {
            return new CatalogIndex(new ByteBuffersDirectory(), embeddings, fusion, fields, candidates);
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
        // Full text is written at once; vectors only once the model is loaded and the change is small.
        // Otherwise the background computes them, so indexing never waits for the model.
        boolean inline = vectorsReady && changed.size() <= INLINE_VECTORS;
        List<float[]> vectors = inline ? embeddings.embedDocuments(changed.stream().map(CatalogIndex::embeddingText).toList())
                : null;
        for (int i = 0; i < changed.size(); i++) {
            CatalogItem item = changed.get(i);
            float[] vector = vectors == null ? null : vectors.get(i);
            writer.updateDocument(new Term(ID, id(item)), document(item, nextHashes.get(id(item)), vector));
            if (vector == null && embeddings != null) {
                withoutVector.add(id(item));
            } else {
                withoutVector.remove(id(item));
            }
        }
        if (!gone.isEmpty()) {
            writer.deleteDocuments(gone.toArray(Term[]::new));
            gone.forEach(t -> withoutVector.remove(t.text()));
        }
        if (!changed.isEmpty() || !gone.isEmpty()) {
            writer.commit();
            searchers.maybeRefreshBlocking();
        }
        hashes.clear();
        hashes.putAll(nextHashes);
        items = Map.copyOf(next);
        if (vectorsWanted && !withoutVector.isEmpty()) {
            scheduleVectors();
        }
        return changed.size();
    }

    /**
     * Whether vector and hybrid searches use vectors yet: false until something asked for vectors
     * and the background has loaded the model and written every entry's vector.
     */
    boolean vectorsReady() {
        return vectorsReady;
    }

    /** Asks for vectors: the first call starts the background that computes them. */
    void wantVectors() {
        if (vectorsWanted || vectorsFailed || embeddings == null) {
            return;
        }
        synchronized (this) {
            if (vectorsWanted || closed) {
                return;
            }
            vectorsWanted = true;
            scheduleVectors();
        }
    }

    /** Schedules a background pass unless one is on its way (called holding this). */
    private void scheduleVectors() {
        if (vectorPassScheduled || closed) {
            return;
        }
        if (vectorWorker == null) {
            vectorWorker = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().daemon().name("plugboard-search-vectors").factory());
        }
        vectorPassScheduled = true;
        vectorWorker.execute(this::writeVectors);
    }

    /**
     * The background pass: loads the model, then embeds and writes the entries that lack a vector,
     * a batch at a time, outside the lock so that syncs and searches go on meanwhile.
     */
    private void writeVectors() {
        try {
            long start = System.nanoTime();
            embeddings.embedQuery("warm up");
            int written = 0;
            while (true) {
                List<CatalogItem> batch = new ArrayList<>();
                List<String> batchHashes = new ArrayList<>();
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    Map<String, CatalogItem> current = items;
                    for (String id : withoutVector) {
                        CatalogItem item = current.get(id);
                        if (item != null) {
                            batch.add(item);
                            batchHashes.add(hashes.get(id));
                        }
                        if (batch.size() == VECTOR_BATCH) {
                            break;
                        }
                    }
                    if (batch.isEmpty()) {
                        withoutVector.clear();
                        vectorPassScheduled = false;
                        if (!vectorsReady) {
                            vectorsReady = true;
                            long millis = (System.nanoTime() - start) / 1_000_000;
                            int total = written;
                            LOG.info(() -> "Vectors ready: " + total + " entries embedded in " + millis
                                    + " ms; vector and hybrid searches use them from now on");
                        }
                        return;
                    }
                }
                List<float[]> vectors = embeddings.embedDocuments(batch.stream().map(CatalogIndex::embeddingText).toList());
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        String id = id(batch.get(i));
                        // an entry changed since the batch was taken is written by its sync, and taken again
                        if (batchHashes.get(i).equals(hashes.get(id)) && withoutVector.remove(id)) {
                            writer.updateDocument(new Term(ID, id), document(batch.get(i), batchHashes.get(i),
                                    vectors.get(i)));
                            written++;
                        }
                    }
                    writer.commit();
                    searchers.maybeRefreshBlocking();
                }
            }
        } catch (IOException | RuntimeException e) {
            vectorsFailed = true;
            synchronized (this) {
                vectorPassScheduled = false;
            }
            LOG.log(Level.WARNING, "Computing the search vectors failed; vector and hybrid searches answer by full "
                    + "text only", e);
        }
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
            // Until the vectors are ready, every mode answers by full text (and asks for vectors).
            SearchMode mode = request.mode();
            if (mode != SearchMode.BM25 && !vectorsReady) {
                wantVectors();
                mode = SearchMode.BM25;
            }
            int lexicalHits = mode == SearchMode.BM25 ? Math.min(candidates, 2 * request.limit() + 10)
                    : candidates;
            List<String> terms = terms(text);
            List<Fusion.Scored> lexical = mode == SearchMode.VECTOR ? List.of()
                    : lexical(searcher, terms, filter, lexicalHits);
            List<Fusion.Scored> semantic = mode == SearchMode.BM25 ? List.of()
                    : semantic(searcher, text, filter);
            List<Fusion.Scored> ranked = switch (mode) {
                case BM25 -> lexical;
                case VECTOR -> semantic;
                case HYBRID -> fusion.fuse(lexical, semantic, terms.size());
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

    private List<Fusion.Scored> lexical(IndexSearcher searcher, List<String> terms, Query filter, int hits)
            throws IOException {
        if (terms.isEmpty()) {
            return List.of();
        }
        // One flat disjunction of every term in every field, each weighted by its field: the same sum
        // as per-field disjunctions, and Lucene can skip documents term by term.
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String field : FieldWeights.FIELDS) {
            float weight = fields.of(field);
            if (weight == 0f) {
                continue;
            }
            for (String term : terms) {
                Query q = new TermQuery(new Term(field, term));
                any.add(weight == 1f ? q : new BoostQuery(q, weight), BooleanClause.Occur.SHOULD);
            }
        }
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
        d.add(new TextField(ALL, String.join(". ", item.name(), String.valueOf(item.title() == null ? "" : item.title()),
                item.description() == null ? "" : item.description(), params), Field.Store.NO));
        if (vector != null) {
            d.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
            d.add(new StoredField(VECTORED, 1));
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
        String content = String.join("\u0000", DOCUMENT_VERSION, model, item.kind().name(), item.key(), item.name(),
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
                        if (d.get(VECTORED) == null && embeddings != null) {
                            withoutVector.add(d.get(ID));
                        }
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
        if (vectorWorker != null) {
            vectorWorker.shutdown();
        }
        searchers.close();
        writer.close();
        directory.close();
    }
}
