package dev.plugboard.router.learned;

import java.util.List;

/**
 * Turns prompts into unit-length vectors. In the router bundle, the host's embedding service:
 * {@code Embedder.of(service::embedQuery, service::embedDocuments)} embeds requests with
 * {@code embedQuery} and the labelled history in batches with {@code embedDocuments} (kept by content
 * across restarts). Tests and benchmarks may pass any function.
 */
@FunctionalInterface
public interface Embedder {

    /** The unit-length vector of {@code text}; every call returns vectors of one length. */
    float[] embed(String text);

    /** The vectors of many texts, in order (one by one unless a batch is cheaper). */
    default List<float[]> embedAll(List<String> texts) {
        return texts.stream().map(this::embed).toList();
    }

    /** An embedder that embeds one text with {@code single} and many with {@code batch}. */
    static Embedder of(Embedder single, java.util.function.Function<List<String>, List<float[]>> batch) {
        return new Embedder() {
            @Override
            public float[] embed(String text) {
                return single.embed(text);
            }

            @Override
            public List<float[]> embedAll(List<String> texts) {
                return batch.apply(texts);
            }
        };
    }
}
