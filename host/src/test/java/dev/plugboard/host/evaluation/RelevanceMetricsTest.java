package dev.plugboard.host.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelevanceMetricsTest {

    @Test
    void aPerfectRankingScoresOneHundred() {
        RelevanceMetrics m = new RelevanceMetrics();
        m.add(List.of("a", "b", "c"), Set.of("a"));
        assertThat(m.ndcg10()).isEqualTo(100.0);
        assertThat(m.mrr()).isEqualTo(100.0);
        assertThat(m.recall5()).isEqualTo(100.0);
    }

    @Test
    void followsTheTextbookFormulasWithBinaryGains() {
        RelevanceMetrics m = new RelevanceMetrics();
        // relevant at ranks 2 and 7 of two relevant: DCG = 1/log2(3) + 1/log2(8); IDCG = 1 + 1/log2(3)
        m.add(List.of("x", "a", "x2", "x3", "x4", "x5", "b", "x6"), Set.of("a", "b"));
        double dcg = 1 / log2(3) + 1 / log2(8);
        double idcg = 1 + 1 / log2(3);
        assertThat(m.ndcg10()).isCloseTo(100 * dcg / idcg, within(1e-9));
        assertThat(m.recall5()).isEqualTo(50.0);
        assertThat(m.recall10()).isEqualTo(100.0);
        assertThat(m.mrr()).isEqualTo(50.0);
    }

    @Test
    void averagesOverQueriesAndIgnoresHitsBelowTen() {
        RelevanceMetrics m = new RelevanceMetrics();
        m.add(List.of("a"), Set.of("a"));
        m.add(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "a"), Set.of("a"));
        m.add(List.of(), Set.of("a"));
        m.add(List.of("a"), Set.of());
        assertThat(m.queries()).isEqualTo(3);
        assertThat(m.ndcg10()).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(m.mrr()).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(m.recall10()).isCloseTo(100.0 / 3, within(1e-9));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
