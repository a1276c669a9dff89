package dev.plugboard.api.embedding;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns text into vectors with a local model. Registered by the host as an OSGi service. Vectors
 * are normalised to unit length, so their dot product is their cosine similarity. Thread-safe.
 *
 * <p>Text with nothing but white space and control characters has no meaning: its vector is all
 * zeros.
 *
 * <p>Documents (what is searched) and queries (what is searched for) are embedded apart: a model may
 * treat them differently, and only document vectors are kept, by content, across restarts.
 */
@ProviderType
public interface EmbeddingService {

    /** The model's identifier, such as {@code all-minilm-l6-v2-q}. */
    String model();

    /** The length of every vector. */
    int dimensions();

    /** The vectors of documents, in order; each is computed once and kept by content. */
    List<float[]> embedDocuments(List<String> texts);

    /** The vector of a query (not kept). */
    float[] embedQuery(String text);
}
