package dev.plugboard.api.search;

/** How a query is matched. */
public enum SearchMode {
    /** Full text, BM25 ranking. */
    BM25,
    /** Semantic similarity of embeddings. */
    VECTOR,
    /** Both, fused. */
    HYBRID
}
