package dev.plugboard.bench.routing;

import dev.plugboard.bench.routing.LabelledSets.Item;
import dev.plugboard.router.learned.LabelledPrompt;
import dev.plugboard.router.learned.LearnedRouter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Scores a router on prompts it was not trained on: the prompts are split into folds, and each fold is
 * scored by a router trained on the other folds only.
 */
final class CrossValidation {

    private CrossValidation() {}

    /** Folds at random (seeded), as the reference figures' 5-fold cross-validation. */
    static int[] randomFolds(int n, int folds, long seed) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        java.util.Collections.shuffle(order, new Random(seed));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order.get(i)] = i % folds;
        }
        return fold;
    }

    /**
     * Folds by group (MMLU subject): every prompt of a subject is in the same fold, so a router is
     * always scored on subjects it has never seen, a harder test of how it generalises.
     */
    static int[] groupedFolds(List<Item> items, int folds, long seed) {
        List<String> groups = new ArrayList<>(new TreeSet<>(items.stream().map(Item::group).toList()));
        java.util.Collections.shuffle(groups, new Random(seed));
        Map<String, Integer> foldOf = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            foldOf.put(groups.get(i), i % folds);
        }
        return items.stream().mapToInt(item -> foldOf.get(item.group())).toArray();
    }

    /** Every prompt's strong score from a router trained on the other folds. */
    static double[] scores(List<Item> items, List<float[]> vectors, int[] fold, LearnedRouter.Settings settings) {
        Map<String, float[]> byText = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            byText.put(items.get(i).prompt(), vectors.get(i));
        }
        int folds = IntStream.of(fold).max().orElse(0) + 1;
        double[] out = new double[items.size()];
        for (int f = 0; f < folds; f++) {
            int held = f;
            List<LabelledPrompt> training = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (fold[i] != held) {
                    training.add(label(items.get(i)));
                }
            }
            LearnedRouter router = LearnedRouter.train(training, byText::get, settings);
            IntStream.range(0, items.size()).parallel().filter(i -> fold[i] == held)
                    .forEach(i -> out[i] = router.strongScore(items.get(i).prompt(), vectors.get(i)));
        }
        return out;
    }

    /** Every prompt of {@code scored} scored by a router trained on all of {@code training}. */
    static double[] transfer(List<Item> training, List<float[]> trainingVectors, List<Item> scored,
            List<float[]> scoredVectors, LearnedRouter.Settings settings) {
        Map<String, float[]> byText = new HashMap<>();
        for (int i = 0; i < training.size(); i++) {
            byText.put(training.get(i).prompt(), trainingVectors.get(i));
        }
        LearnedRouter router = LearnedRouter.train(training.stream().map(CrossValidation::label).toList(),
                byText::get, settings);
        return IntStream.range(0, scored.size()).parallel()
                .mapToDouble(i -> router.strongScore(scored.get(i).prompt(), scoredVectors.get(i))).toArray();
    }

    static LabelledPrompt label(Item item) {
        return new LabelledPrompt(item.prompt(), item.weakCorrect(), item.strongCorrect());
    }
}
