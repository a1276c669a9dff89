package dev.plugboard.router.learned;

import dev.plugboard.router.learned.LearnedRouter.Choice;
import dev.plugboard.router.learned.LearnedRouter.Part;
import dev.plugboard.router.learned.LearnedRouter.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Chooses how a router scores from its own training history, never from the prompts it will judge: a
 * sample of the history is scored leave-one-out (each example by its neighbours other than itself, by the
 * regression refitted without it, in closed form, by the clusters with its label taken out of its
 * cluster, by the words' fit without its fold, and by the options' fit, whose two weights do not
 * overfit), and the candidate whose scores would have sent the most gain to the strong model over all
 * thresholds wins (the area under the cumulative-gain curve, what APGR measures up to scale). The
 * settings' own values are the first candidate and are kept on a tie.
 */
final class InnerValidation {

    /** At most this many examples are scored, evenly spread over the history. */
    static final int SAMPLE = 3000;
    /** Candidate neighbour counts, at most the settings' own. */
    private static final int[] NEIGHBOURS = {10, 20, 50, 100};

    private InnerValidation() {}

    /** The mean gain of the neighbours found, weighted by a softmax of their similarity. */
    static double vote(LabelledPrompt[] examples, int[] index, double[] similarity, int found, double temperature) {
        double weightSum = 0;
        double gain = 0;
        double top = similarity[0];
        for (int i = 0; i < found; i++) {
            double w = Math.exp((similarity[i] - top) / temperature); // equal votes at an infinite temperature
            weightSum += w;
            gain += w * examples[index[i]].strongGain();
        }
        return gain / weightSum;
    }

    static Choice choose(float[] vectors, int dimensions, LabelledPrompt[] examples, Ridge.Fit ridge, Clusters clusters,
            Words words, Options options, Settings settings) {
        int n = examples.length;
        Choice own = new Choice(Math.min(settings.neighbours(), n), settings.temperature(), settings.parts());
        if (n < 3 || !settings.parts().contains(Part.NEIGHBOURS)) {
            return own;
        }
        int m = Math.min(SAMPLE, n);
        int[] sample = IntStream.range(0, m).map(j -> (int) ((long) j * n / m)).toArray();
        int most = Math.min(settings.neighbours(), n - 1);
        int[][] index = new int[m][most];
        double[][] similarity = new double[m][most];
        double[] regression = new double[m];
        double[] cluster = new double[m];
        double[] wording = new double[m];
        double[] listed = new double[m];
        double[] gain = new double[m];
        IntStream.range(0, m).parallel().forEach(j -> {
            int i = sample[j];
            gain[j] = examples[i].strongGain();
            nearest(vectors, dimensions, n, i, index[j], similarity[j]);
            if (ridge != null) {
                regression[j] = ridge.leftOutEstimate(vectors, i * dimensions, dimensions, gain[j]);
            }
            if (clusters != null) {
                cluster[j] = clusters.gainWithout(vectors, i * dimensions, gain[j]);
            }
            if (words != null) {
                wording[j] = words.crossFitted(i);
            }
            if (options != null) {
                listed[j] = options.estimate(examples[i].prompt());
            }
        });
        List<Set<Part>> partSets = new ArrayList<>(List.of(settings.parts(), EnumSet.of(Part.NEIGHBOURS)));
        if (settings.parts().contains(Part.CLUSTERS)) {
            partSets.add(EnumSet.of(Part.NEIGHBOURS, Part.CLUSTERS));
        }
        List<Choice> candidates = new ArrayList<>(List.of(new Choice(most, settings.temperature(), settings.parts())));
        for (int k : IntStream.concat(IntStream.of(NEIGHBOURS).filter(k -> k < most), IntStream.of(most)).distinct().toArray()) {
            for (double t : new double[] {settings.temperature(), Double.POSITIVE_INFINITY}) {
                for (Set<Part> parts : partSets) {
                    candidates.add(new Choice(k, t, parts));
                }
            }
        }
        Choice best = null;
        double bestArea = Double.NEGATIVE_INFINITY;
        double[] score = new double[m];
        for (Choice c : candidates) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                if (c.parts().contains(Part.NEIGHBOURS)) {
                    sum += vote(examples, index[j], similarity[j], c.neighbours(), c.temperature());
                }
                if (c.parts().contains(Part.REGRESSION)) {
                    sum += regression[j];
                }
                if (c.parts().contains(Part.CLUSTERS)) {
                    sum += cluster[j];
                }
                if (c.parts().contains(Part.WORDS)) {
                    sum += wording[j];
                }
                if (c.parts().contains(Part.OPTIONS)) {
                    sum += listed[j];
                }
                score[j] = sum / c.parts().size();
            }
            double area = area(score, gain);
            if (area > bestArea + 1e-12) {
                bestArea = area;
                best = c;
            }
        }
        return best;
    }

    /** The area under the cumulative gain of the examples taken from the highest score down. */
    static double area(double[] score, double[] gain) {
        Integer[] order = new Integer[score.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        double cumulative = 0;
        double area = 0;
        for (int i : order) {
            cumulative += gain[i];
            area += cumulative;
        }
        return area / score.length;
    }

    /** The {@code index.length} nearest examples of example {@code of}, itself left out, nearest first. */
    private static void nearest(float[] vectors, int dimensions, int n, int of, int[] index, double[] similarity) {
        int k = index.length;
        int found = 0;
        int base = of * dimensions;
        for (int i = 0; i < n; i++) {
            if (i == of) {
                continue;
            }
            double s = 0;
            int at = i * dimensions;
            for (int d = 0; d < dimensions; d++) {
                s += vectors[base + d] * vectors[at + d];
            }
            if (found == k && s <= similarity[k - 1]) {
                continue;
            }
            int slot = found < k ? found++ : k - 1;
            while (slot > 0 && similarity[slot - 1] < s) {
                similarity[slot] = similarity[slot - 1];
                index[slot] = index[slot - 1];
                slot--;
            }
            similarity[slot] = s;
            index[slot] = i;
        }
    }
}
