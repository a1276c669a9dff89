package dev.plugboard.bench.routing;

import dev.plugboard.host.embedding.LocalEmbeddings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds prompts with the host's own local model (all-MiniLM-L6-v2, quantised), the one the router
 * bundle uses at serving time. Vectors are kept by text under {@code target/} so that a second run does
 * not embed again; progress is printed because the first run takes minutes on a small machine.
 */
final class Vectors implements AutoCloseable {

    static final String MODEL = "all-minilm-l6-v2-q";
    private static final int BATCH = 64;

    private final LocalEmbeddings embeddings;

    Vectors(Path cacheFolder) {
        this.embeddings = new LocalEmbeddings(MODEL, cacheFolder);
    }

    List<float[]> embed(String what, List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        long start = System.nanoTime();
        long lastReport = start;
        for (int from = 0; from < texts.size(); from += BATCH) {
            out.addAll(embeddings.embedDocuments(texts.subList(from, Math.min(texts.size(), from + BATCH))));
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L || out.size() == texts.size()) {
                lastReport = now;
                System.err.printf("embedding %s: %d/%d (%.0f s)%n", what, out.size(), texts.size(), (now - start) / 1e9);
            }
        }
        return out;
    }

    /** The vector of one text, as the router would compute it for a request. */
    float[] query(String text) {
        return embeddings.embedQuery(text);
    }

    @Override
    public void close() {
        embeddings.close();
    }
}
