package dev.plugboard.host.evaluation;

import java.util.List;
import java.util.Set;

/**
 * Retrieval quality over a set of queries with binary relevance: Recall@5, Recall@10, nDCG@10
 * (gain 1 for a relevant hit, discount log2(rank + 1), ideal ranking over min(relevant, 10)) and MRR
 * (reciprocal rank of the first relevant hit in the top 10). Not thread-safe.
 */
final class RelevanceMetrics {

    private double recall5;
    private double recall10;
    private double ndcg10;
    private double mrr;
    private int queries;

    /** Adds one query's ranking. */
    void add(List<String> ranking, Set<String> relevant) {
        if (relevant.isEmpty()) {
            return;
        }
        queries++;
        int found5 = 0;
        int found10 = 0;
        double dcg = 0;
        double reciprocal = 0;
        for (int i = 0; i < Math.min(10, ranking.size()); i++) {
            if (relevant.contains(ranking.get(i))) {
                found10++;
                if (i < 5) {
                    found5++;
                }
                dcg += 1 / log2(i + 2);
                if (reciprocal == 0) {
                    reciprocal = 1.0 / (i + 1);
                }
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(10, relevant.size()); i++) {
            ideal += 1 / log2(i + 2);
        }
        recall5 += (double) found5 / relevant.size();
        recall10 += (double) found10 / relevant.size();
        ndcg10 += dcg / ideal;
        mrr += reciprocal;
    }

    int queries() {
        return queries;
    }

    double recall5() {
        return 100 * recall5 / queries;
    }

    double recall10() {
        return 100 * recall10 / queries;
    }

    double ndcg10() {
        return 100 * ndcg10 / queries;
    }

    double mrr() {
        return 100 * mrr / queries;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
