package dev.plugboard.router.learned;

import java.util.Locale;

/**
 * A deterministic stand-in for a sentence-embedding model in unit tests: each lower-cased word adds
 * to one of 256 dimensions (by its hash), then the vector is normalised. Prompts sharing words are close.
 */
public final class WordHashEmbedder implements Embedder {

    public static final int DIMENSIONS = 256;

    @Override
    public float[] embed(String text) {
        float[] v = new float[DIMENSIONS];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode() * 0x9E3779B1, DIMENSIONS)] += 1;
            }
        }
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }
}
