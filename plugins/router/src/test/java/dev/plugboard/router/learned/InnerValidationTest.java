package dev.plugboard.router.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plugboard.router.learned.LearnedRouter.Part;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InnerValidationTest {

    private final WordHashEmbedder embedder = new WordHashEmbedder();

    /** The router's score for a prompt, embedded as the bundle embeds a request. */
    private double score(LearnedRouter router, String prompt) {
        return router.strongScore(prompt, embedder.embed(prompt));
    }

    /** Prompts of one of eight topics; the weak model fails the first three topics' prompts, mostly. */
    private static List<LabelledPrompt> topics(int n, long seed) {
        String[][] topics = {{"integral", "calculus"}, {"eigenvalue", "matrix"}, {"tensor", "manifold"},
            {"capital", "country"}, {"colour", "paint"}, {"weekday", "calendar"}, {"animal", "zoo"}, {"fruit", "apple"}};
        Random random = new Random(seed);
        List<LabelledPrompt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int t = i % topics.length;
            boolean noise = random.nextDouble() < 0.15;
            String prompt = topics[t][0] + " " + topics[t][1] + " question " + random.nextInt(1000);
            out.add(new LabelledPrompt(prompt, t < 3 ? noise : !noise, true));
        }
        return out;
    }

    @Test
    void theRegressionsLeftOutEstimateIsTheRefitWithoutTheExample() {
        List<LabelledPrompt> examples = topics(40, 1);
        int d = WordHashEmbedder.DIMENSIONS;
        float[] vectors = vectors(examples);
        LabelledPrompt[] all = examples.toArray(LabelledPrompt[]::new);
        Ridge.Fit fit = Ridge.fit(vectors, d, all, 0.5);
        for (int left : new int[] {0, 7, 39}) {
            LabelledPrompt[] others = new LabelledPrompt[all.length - 1];
            float[] otherVectors = new float[others.length * d];
            for (int i = 0, j = 0; i < all.length; i++) {
                if (i != left) {
                    others[j] = all[i];
                    System.arraycopy(vectors, i * d, otherVectors, j * d, d);
                    j++;
                }
            }
            double refit = Ridge.fit(otherVectors, d, others, 0.5).estimate(vectors, left * d, d);
            assertThat(fit.leftOutEstimate(vectors, left * d, d, all[left].strongGain())).isCloseTo(refit, within(1e-6));
            assertThat(fit.estimate(vectors, left * d, d)).isNotCloseTo(refit, within(1e-6));
        }
    }

    @Test
    void theAreaRewardsScoresThatPutTheGainFirst() {
        double[] gain = {1, 0, -1, 1};
        double best = InnerValidation.area(new double[] {4, 2, 1, 3}, gain);
        double worst = InnerValidation.area(new double[] {1, 3, 4, 2}, gain);
        assertThat(best).isEqualTo((1 + 2 + 2 + 1) / 4.0);
        assertThat(worst).isLessThan(best);
    }

    @Test
    void aSmallHistoryGetsFewerNeighboursThanTheLargestCandidate() {
        LearnedRouter.Settings d = LearnedRouter.Settings.DEFAULT;
        List<LabelledPrompt> history = topics(96, 2);
        assertThat(LearnedRouter.Settings.forHistory(history.size()).choose()).isTrue();
        assertThat(LearnedRouter.Settings.forHistory(LearnedRouter.Settings.CHOOSE_BELOW).choose()).isFalse();
        LearnedRouter chosen = LearnedRouter.train(history, embedder);
        LearnedRouter fixed = LearnedRouter.train(history, embedder, d.chosen(false));
        // with 95 others, "all 95 neighbours" mixes every topic; the leave-one-out choice takes fewer
        assertThat(chosen.choice().neighbours()).isLessThan(95);
        assertThat(chosen.choice().parts()).contains(Part.NEIGHBOURS);
        assertThat(fixed.choice()).isEqualTo(new LearnedRouter.Choice(96, d.temperature(), d.parts()));
        double hard = score(chosen, "integral calculus question 5000");
        double easy = score(chosen, "fruit apple question 5000");
        assertThat(hard).isGreaterThan(easy);
    }

    private float[] vectors(List<LabelledPrompt> examples) {
        int d = WordHashEmbedder.DIMENSIONS;
        float[] out = new float[examples.size() * d];
        for (int i = 0; i < examples.size(); i++) {
            System.arraycopy(embedder.embed(examples.get(i).prompt()), 0, out, i * d, d);
        }
        return Arrays.copyOf(out, out.length);
    }
}
