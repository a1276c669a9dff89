package dev.plugboard.plugins.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the full-text and vector rankings are combined into one.
 *
 * @param method reciprocal rank fusion or a blend of normalised scores
 * @param rrfK the rank constant of reciprocal rank fusion
 * @param textWeight the weight of the full-text ranking
 * @param vectorWeight the weight of the vector ranking
 */
record Fusion(Method method, int rrfK, double textWeight, double vectorWeight) {

    /** The ways to fuse. */
    enum Method {
        /** Weighted reciprocal rank fusion: sum of weight / (k + rank). */
        RRF,
        /** Weighted sum of min-max normalised scores. */
        BLEND
    }

    /**
     * Query-length normalisation: a query of more distinct terms than this gives the full-text ranking
     * proportionally more weight, up to {@link #MAX_TEXT_BOOST} times. Long queries that name many of
     * a tool's words (its parameters, its domain) are where full text is strongest; short ones, which
     * paraphrase, are where vectors are.
     */
    static final int SHORT_QUERY_TERMS = 8;
    /** The most the full-text weight grows for a long query. */
    static final double MAX_TEXT_BOOST = 2.0;

    /** A document id with its score in one ranking. */
    record Scored(int doc, double score) {
    }

    Fusion {
        if (rrfK < 1) {
            throw new IllegalArgumentException("rrfK must be positive");
        }
        if (textWeight < 0 || vectorWeight < 0 || textWeight + vectorWeight == 0) {
            throw new IllegalArgumentException("weights must be non-negative and not both zero");
        }
    }

    /** The fused ranking, best first, with the configured weights whatever the query's length. */
    List<Scored> fuse(List<Scored> text, List<Scored> vector) {
        return fuse(text, vector, 0);
    }

    /**
     * The fused ranking, best first.
     *
     * @param queryTerms how many distinct terms the query has: a long query weighs full text more
     */
    List<Scored> fuse(List<Scored> text, List<Scored> vector, int queryTerms) {
        double textWeight = this.textWeight * textBoost(queryTerms);
        Map<Integer, Double> scores = new HashMap<>();
        if (method == Method.RRF) {
            for (int i = 0; i < text.size(); i++) {
                scores.merge(text.get(i).doc(), textWeight / (rrfK + i + 1), Double::sum);
            }
            for (int i = 0; i < vector.size(); i++) {
                scores.merge(vector.get(i).doc(), vectorWeight / (rrfK + i + 1), Double::sum);
            }
        } else {
            addNormalised(text, textWeight, scores);
            addNormalised(vector, vectorWeight, scores);
        }
        List<Scored> fused = new ArrayList<>(scores.size());
        scores.forEach((doc, score) -> fused.add(new Scored(doc, score)));
        fused.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Integer.compare(a.doc(), b.doc()));
        return fused;
    }

    /** How much more full text counts for a query of this many distinct terms (1 to {@link #MAX_TEXT_BOOST}). */
    static double textBoost(int queryTerms) {
        return Math.min(MAX_TEXT_BOOST, Math.max(1.0, (double) queryTerms / SHORT_QUERY_TERMS));
    }

    private static void addNormalised(List<Scored> ranking, double weight, Map<Integer, Double> scores) {
        if (ranking.isEmpty()) {
            return;
        }
        double max = ranking.stream().mapToDouble(Scored::score).max().orElse(1);
        double min = ranking.stream().mapToDouble(Scored::score).min().orElse(0);
        double span = max - min;
        for (Scored s : ranking) {
            double normalised = span == 0 ? 1 : (s.score() - min) / span;
            scores.merge(s.doc(), weight * normalised, Double::sum);
        }
    }
}
