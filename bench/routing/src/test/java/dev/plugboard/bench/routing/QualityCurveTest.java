package dev.plugboard.bench.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plugboard.bench.routing.QualityCurve.Scored;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityCurveTest {

    // weak right on 2 of 4 (0.5), strong right on 3 of 4 (0.75): the gap is 0.25
    private static List<Scored> prompts(double a, double b, double c, double d) {
        return List.of(new Scored(a, 0, 1), new Scored(b, 0, 1), new Scored(c, 1, 1), new Scored(d, 1, 0));
    }

    @Test
    void scoresAPerfectOrderingAsRouteLlmDoes() {
        QualityCurve curve = QualityCurve.of(prompts(3, 2, 1, 0));
        assertThat(curve.weakQuality()).isEqualTo(0.5);
        assertThat(curve.strongQuality()).isEqualTo(0.75);
        // recovered gap at shares 0, .25, .5, .75, 1: 0, 1, 2, 2, 1 -> trapezoid area 1.375
        assertThat(curve.apgr()).isCloseTo(1.375, within(1e-9));
        assertThat(curve.callsForGap(0.5)).isCloseTo(0.125, within(1e-9));
        assertThat(curve.callsFor95()).isCloseTo(0.2125, within(1e-9));
    }

    @Test
    void aReversedOrderingIsWorseThanRandom() {
        QualityCurve curve = QualityCurve.of(prompts(0, 1, 2, 3));
        // shares 0, .25, .5, .75, 1 reach qualities .5, .25, .25, .5, .75: recovered -0, -1, -1, 0, 1
        assertThat(curve.apgr()).isCloseTo(-0.375, within(1e-9));
        assertThat(curve.callsFor95()).isCloseTo(0.75 + 0.25 * 0.85, within(1e-9));
    }

    @Test
    void tiedScoresCrossTheThresholdTogether() {
        QualityCurve curve = QualityCurve.of(prompts(1, 1, 1, 1));
        assertThat(curve.share()).containsExactly(0, 1);
        assertThat(curve.apgr()).isCloseTo(0.5, within(1e-9));
        assertThat(curve.callsForGap(0.5)).isCloseTo(0.5, within(1e-9));
        assertThat(curve.callsForGap(0.8)).isCloseTo(0.8, within(1e-9));
    }
}
