package dev.plugboard.router.learned;

/**
 * Turns a prompt into a unit-length vector. The router bundle passes the host's
 * {@code EmbeddingService::embedQuery}; tests and benchmarks may pass any other function.
 */
@FunctionalInterface
public interface Embedder {

    /** The unit-length vector of {@code text}; every call returns vectors of one length. */
    float[] embed(String text);
}
