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

    /** The fused ranking, best first. */
    List<Scored> fuse(List<Scored> text, List<Scored> vector) {
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
