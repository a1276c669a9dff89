package dev.plugboard.plugins.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {

    private static List<Fusion.Scored> ranking(int... docs) {
        return java.util.Arrays.stream(docs).mapToObj(d -> new Fusion.Scored(d, 100 - d)).toList();
    }

    @Test
    void reciprocalRankFusionRewardsAgreement() {
        Fusion rrf = new Fusion(Fusion.Method.RRF, 60, 1, 1);
        List<Fusion.Scored> fused = rrf.fuse(ranking(1, 2, 3), ranking(3, 1, 4));
        assertThat(fused).extracting(Fusion.Scored::doc).containsExactly(1, 3, 2, 4);
        assertThat(fused.get(0).score()).isEqualTo(1.0 / 61 + 1.0 / 62, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void weightsTiltTheBalance() {
        Fusion vectorHeavy = new Fusion(Fusion.Method.RRF, 60, 0.1, 1);
        assertThat(vectorHeavy.fuse(ranking(1, 2), ranking(2, 1))).extracting(Fusion.Scored::doc).containsExactly(2, 1);
        Fusion textHeavy = new Fusion(Fusion.Method.RRF, 60, 1, 0.1);
        assertThat(textHeavy.fuse(ranking(1, 2), ranking(2, 1))).extracting(Fusion.Scored::doc).containsExactly(1, 2);
    }

    @Test
    void aLongQueryWeighsFullTextMoreUpToTwice() {
        Fusion fusion = new Fusion(Fusion.Method.RRF, 10, 0.3, 0.5);
        // text ranks 1 first, vectors rank 2 first: the vector weight wins for a short query only
        assertThat(fusion.fuse(ranking(1, 2), ranking(2, 1), 4)).extracting(Fusion.Scored::doc).containsExactly(2, 1);
        assertThat(fusion.fuse(ranking(1, 2), ranking(2, 1), 16)).extracting(Fusion.Scored::doc).containsExactly(1, 2);
        assertThat(Fusion.textBoost(0)).isEqualTo(1.0);
        assertThat(Fusion.textBoost(Fusion.SHORT_QUERY_TERMS)).isEqualTo(1.0);
        assertThat(Fusion.textBoost(12)).isEqualTo(1.5);
        assertThat(Fusion.textBoost(64)).isEqualTo(Fusion.MAX_TEXT_BOOST);
    }

    @Test
    void blendingNormalisesEachRankingFirst() {
        Fusion blend = new Fusion(Fusion.Method.BLEND, 60, 0.5, 0.5);
        List<Fusion.Scored> text = List.of(new Fusion.Scored(1, 30), new Fusion.Scored(2, 10));
        List<Fusion.Scored> vector = List.of(new Fusion.Scored(2, 0.9), new Fusion.Scored(3, 0.1));
        List<Fusion.Scored> fused = blend.fuse(text, vector);
        assertThat(fused).extracting(Fusion.Scored::doc).containsExactly(1, 2, 3);
        assertThat(fused.get(0).score()).isEqualTo(0.5);
        assertThat(fused.get(2).score()).isEqualTo(0.0);
    }

    @Test
    void oneEmptyRankingLeavesTheOther() {
        Fusion rrf = new Fusion(Fusion.Method.RRF, 60, 1, 1);
        assertThat(rrf.fuse(ranking(5, 6), List.of())).extracting(Fusion.Scored::doc).containsExactly(5, 6);
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new Fusion(Fusion.Method.RRF, 0, 1, 1)).hasMessageContaining("rrfK");
        assertThatThrownBy(() -> new Fusion(Fusion.Method.RRF, 60, 0, 0)).hasMessageContaining("weights");
        assertThatThrownBy(() -> new Fusion(Fusion.Method.RRF, 60, -1, 1)).hasMessageContaining("weights");
    }
}
