package dev.plugboard.host.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.plugboard.api.embedding.EmbeddingService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The {@link EmbeddingService}: a quantised sentence-embedding model run in the host with ONNX
 * Runtime (no network, no key), loaded on first use, with vectors cached by text across restarts.
 * Runs in the host because native libraries cannot be loaded by two class loaders, so a bundle
 * update would break a model loaded inside the framework.
 */
public final class LocalEmbeddings implements EmbeddingService, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalEmbeddings.class.getName());

    /** A shipped model: its files on the class path and how its token vectors are pooled. */
    private record Spec(String onnx, String tokenizer, PoolingMode pooling) {
    }

    /** The models the host can run, by identifier. */
    private static final Map<String, Spec> MODELS = Map.of(
            "bge-small-en-v1.5-q", new Spec("bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", PoolingMode.CLS),
            "all-minilm-l6-v2-q", new Spec("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", PoolingMode.MEAN));
    private static final int DIMENSIONS = 384;
    /** The instruction some models expect before a short query that looks for passages. */
    private static final Map<String, String> QUERY_PREFIXES = Map.of(
            "bge-small-en-v1.5-q", "Represent this sentence for searching relevant passages: ");

    private final String model;
    private final String queryPrefix;
    private final EmbeddingCache cache;
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private volatile OnnxModel loaded;
    private volatile SharedVectors shared;

    /**
     * @param model the model identifier ({@code bge-small-en-v1.5-q} or {@code all-minilm-l6-v2-q})
     * @param cacheFolder where vectors are kept across restarts; null to keep them in memory only
     * @throws IllegalArgumentException for a model the host does not have
     */
    public LocalEmbeddings(String model, Path cacheFolder) {
        if (!MODELS.containsKey(model)) {
            throw new IllegalArgumentException("unknown embedding model '" + model + "' (known: " + MODELS.keySet() + ")");
        }
        this.model = model;
        this.queryPrefix = QUERY_PREFIXES.getOrDefault(model, "");
        if (cacheFolder != null && System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            // the tokenizer's native library is unpacked there (by default into the home folder)
            System.setProperty("DJL_CACHE_DIR", cacheFolder.resolve("djl").toAbsolutePath().toString());
        }
        this.cache = new EmbeddingCache(cacheFolder == null ? null : cacheFolder.resolve(model + ".bin"), model, DIMENSIONS);
    }

    /**
     * Shares vectors with the other nodes (called once, at start, when a shared store is
     * configured): a text missing from this node's cache is looked for there before it is embedded,
     * and what this node embeds is kept there.
     */
    public void share(SharedVectors vectors) {
        this.shared = vectors;
    }

    /** The models the host knows. */
    public static java.util.Set<String> models() {
        return MODELS.keySet();
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public float[] embedQuery(String text) {
        if (meaningless(text)) {
            return new float[DIMENSIONS];
        }
        return normalised(loadedModel().embed(queryPrefix + text).content().vector());
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (meaningless(texts.get(i))) {
                out.add(new float[DIMENSIONS]);
                continue;
            }
            float[] cached = cache.get(texts.get(i));
            if (cached != null) {
                cacheHits.increment();
            }
            out.add(cached == null ? null : cached.clone());
            if (cached == null) {
                missing.add(i);
            }
        }
        SharedVectors elsewhere = shared;
        if (elsewhere != null && !missing.isEmpty()) {
            Map<String, float[]> found = elsewhere.get(model, missing.stream().map(texts::get).distinct().toList());
            missing.removeIf(i -> {
                float[] vector = found.get(texts.get(i));
                if (vector == null || vector.length != DIMENSIONS) {
                    return false;
                }
                cache.put(texts.get(i), vector);
                out.set(i, vector.clone());
                cacheHits.increment();
                return true;
            });
        }
        cacheMisses.add(missing.size());
        if (!missing.isEmpty()) {
            Map<String, float[]> made = new java.util.HashMap<>();
            List<TextSegment> segments = missing.stream().map(i -> TextSegment.from(texts.get(i))).toList();
            var computed = loadedModel().embedAll(segments).content();
            for (int j = 0; j < missing.size(); j++) {
                float[] vector = normalised(computed.get(j).vector());
                cache.put(texts.get(missing.get(j)), vector);
                out.set(missing.get(j), vector.clone());
                made.put(texts.get(missing.get(j)), vector);
            }
            if (elsewhere != null) {
                elsewhere.put(model, made);
            }
        }
        return out;
    }

    /** How many look-ups found their vector in the cache (metrics). */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /** How many look-ups did not find their vector in the cache (metrics). */
    public long cacheMisses() {
        return cacheMisses.sum();
    }

    /** How many vectors are cached. */
    public int cached() {
        return cache.size();
    }

    /** Text with nothing but spaces and control characters, which the model cannot embed. */
    private static boolean meaningless(String text) {
        return text.trim().isEmpty();
    }

    private EmbeddingModel loadedModel() {
        OnnxModel m = loaded;
        if (m == null) {
            synchronized (this) {
                m = loaded;
                if (m == null) {
                    long start = System.nanoTime();
                    Spec spec = MODELS.get(model);
                    m = new OnnxModel(spec.onnx(), spec.tokenizer(), spec.pooling(), DIMENSIONS);
                    loaded = m;
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    LOG.info(() -> "Loaded the embedding model " + model + " in " + millis + " ms");
                }
            }
        }
        return m;
    }

    private static float[] normalised(float[] v) {
        double sum = 0;
        for (float f : v) {
            sum += f * f;
        }
        double norm = Math.sqrt(sum);
        if (norm == 0) {
            return v;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    @Override
    public void close() {
        cache.close();
    }
}
