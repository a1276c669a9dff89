package dev.plugboard.bench.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A router's quality against its share of strong calls, scored offline as RouteLLM scores its routers:
 * the threshold is swept from "always weak" to "always strong"; at each threshold the prompts scored at
 * or above it go to the strong model and count as correct when that model was correct, the others when
 * the weak model was. Prompts with equal scores cross the threshold together (the curve is a straight
 * line between distinct scores, which is what routing a random part of a tie would give).
 *
 * @param weakQuality the quality of always-weak
 * @param strongQuality the quality of always-strong
 * @param share the strong-call share at each point, from 0 to 1
 * @param quality the quality at each point
 */
record QualityCurve(double weakQuality, double strongQuality, double[] share, double[] quality) {

    /**
     * One prompt's router score (higher: more likely strong) and the quality each model's answer had:
     * 1 or 0 for a correct or wrong MMLU answer, the judge's score for MT-Bench.
     */
    record Scored(double score, double weak, double strong) {}

    static QualityCurve of(List<Scored> scored) {
        int n = scored.size();
        List<Scored> sorted = new ArrayList<>(scored);
        sorted.sort(Comparator.comparingDouble(Scored::score).reversed());
        double weakRight = 0;
        double strongRight = 0;
        for (Scored s : sorted) {
            weakRight += s.weak();
            strongRight += s.strong();
        }
        double[] share = new double[n + 1];
        double[] quality = new double[n + 1];
        int points = 0;
        share[points] = 0;
        quality[points++] = weakRight / n;
        double correct = weakRight;
        for (int i = 0; i < n; i++) {
            Scored s = sorted.get(i);
            correct += s.strong() - s.weak();
            boolean tieContinues = i + 1 < n && sorted.get(i + 1).score() == s.score();
            if (!tieContinues) {
                share[points] = (double) (i + 1) / n;
                quality[points++] = correct / n;
            }
        }
        return new QualityCurve(weakRight / n, strongRight / n, Arrays.copyOf(share, points),
                Arrays.copyOf(quality, points));
    }

    /** The share of the quality gap recovered at a quality: 0 for always-weak, 1 for always-strong. */
    double gapRecovered(double q) {
        return (q - weakQuality) / (strongQuality - weakQuality);
    }

    /** APGR: the area under the recovered gap against the strong-call share (random about 0.5). */
    double apgr() {
        double area = 0;
        for (int i = 1; i < share.length; i++) {
            area += (share[i] - share[i - 1]) * (gapRecovered(quality[i]) + gapRecovered(quality[i - 1])) / 2;
        }
        return area;
    }

    /** CPT(x): the smallest strong-call share that recovers {@code gap} (0..1) of the quality gap. */
    double callsForGap(double gap) {
        return callsForQuality(weakQuality + gap * (strongQuality - weakQuality));
    }

    /** The smallest strong-call share whose quality reaches {@code target} (1 if it never does before the end). */
    double callsForQuality(double target) {
        if (quality[0] >= target) {
            return 0;
        }
        for (int i = 1; i < share.length; i++) {
            if (quality[i] >= target) {
                double rise = quality[i] - quality[i - 1];
                return share[i - 1] + (share[i] - share[i - 1]) * (target - quality[i - 1]) / rise;
            }
        }
        return 1;
    }

    /** The strong-call share at 95% of the strong model's quality. */
    double callsFor95() {
        return callsForQuality(0.95 * strongQuality);
    }
}
