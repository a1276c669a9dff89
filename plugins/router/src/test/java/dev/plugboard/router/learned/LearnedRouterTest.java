package dev.plugboard.router.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plugboard.router.learned.LearnedRouter.Part;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LearnedRouterTest {

    private static final String[] HARD_TOPICS = {"integral", "eigenvalue", "differential", "topology", "manifold", "tensor"};
    private static final String[] EASY_TOPICS = {"capital", "colour", "greeting", "weekday", "animal", "fruit"};
    private static final String[] FILLER = {"please", "tell", "me", "about", "the", "question", "quickly", "explain",
        "what", "is", "a", "simple", "answer", "for", "this"};

    private final WordHashEmbedder embedder = new WordHashEmbedder();

    /** The router's score for a prompt, embedded as the bundle embeds a request. */
    private double score(LearnedRouter router, String prompt) {
        return router.strongScore(prompt, embedder.embed(prompt));
    }

    /** A prompt about a topic, with filler words drawn from the seeded random. */
    private static String prompt(String[] topics, Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            b.append(topics[random.nextInt(topics.length)]).append(' ');
        }
        for (int i = 0; i < 4; i++) {
            b.append(FILLER[random.nextInt(FILLER.length)]).append(' ');
        }
        return b.toString().strip();
    }

    /** Hard prompts: the weak model is mostly wrong, the strong one right; easy: both mostly right. */
    private static List<LabelledPrompt> history(int n, long seed) {
        Random random = new Random(seed);
        List<LabelledPrompt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean hard = i % 2 == 0;
            boolean noise = random.nextDouble() < 0.1;
            out.add(hard
                    ? new LabelledPrompt(prompt(HARD_TOPICS, random), noise, true)
                    : new LabelledPrompt(prompt(EASY_TOPICS, random), !noise, true));
        }
        return out;
    }

    @Test
    void ranksHeldOutHardPromptsAboveEasyOnes() {
        LearnedRouter router = LearnedRouter.train(history(400, 1), embedder);
        Random random = new Random(99); // prompts never seen in training
        List<Double> hard = new ArrayList<>();
        List<Double> easy = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            hard.add(score(router, prompt(HARD_TOPICS, random)));
            easy.add(score(router, prompt(EASY_TOPICS, random)));
        }
        double lowestHard = hard.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double highestEasy = easy.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(lowestHard).isGreaterThan(highestEasy);
        assertThat(router.size()).isEqualTo(400);
    }

    @Test
    void eachPartAloneAlsoRanksHeldOutPrompts() {
        LearnedRouter.Settings d = LearnedRouter.Settings.DEFAULT;
        for (LearnedRouter.Settings settings : List.of(d.only(Part.REGRESSION), d.only(Part.NEIGHBOURS),
                d.only(Part.CLUSTERS), d.only(Part.WORDS))) {
            LearnedRouter router = LearnedRouter.train(history(400, 2), embedder, settings);
            Random random = new Random(7);
            double hard = score(router, prompt(HARD_TOPICS, random));
            double easy = score(router, prompt(EASY_TOPICS, random));
            assertThat(hard).as("%s", settings).isGreaterThan(easy);
        }
    }

    @Test
    void calibrationHitsTheTargetShareOfStrongCalls() {
        // a graded history: the chance that the weak model fails grows with the number of hard words
        Random random = new Random(3);
        List<LabelledPrompt> examples = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int hardWords = random.nextInt(5);
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < 5; w++) {
                b.append(w < hardWords ? HARD_TOPICS[random.nextInt(HARD_TOPICS.length)]
                        : EASY_TOPICS[random.nextInt(EASY_TOPICS.length)]).append(' ');
            }
            examples.add(new LabelledPrompt(b.toString(), random.nextDouble() > hardWords / 4.0, true));
        }
        LearnedRouter router = LearnedRouter.train(examples, embedder);
        for (double target : new double[] {0.1, 0.3, 0.5}) {
            LearnedRouter.Threshold threshold = router.calibrate(target);
            assertThat(threshold.strongShare()).as("reported share for %s", target).isCloseTo(target, within(0.05));
            long strong = examples.stream()
                    .filter(e -> threshold.strong(score(router, e.prompt()))).count();
            // scored with themselves among their neighbours, the training prompts go strong a bit more often
            assertThat((double) strong / examples.size()).as("share for %s", target).isCloseTo(target, within(0.1));
        }
        assertThat(router.calibrate(0).strongShare()).isZero();
        assertThat(router.calibrate(0).strong(10)).isFalse();
        assertThat(router.calibrate(1).strongShare()).isEqualTo(1.0);
    }

    @Test
    void explainsADecisionByItsNearestLabelledExamples() {
        List<LabelledPrompt> examples = List.of(
                new LabelledPrompt("compute the integral of the tensor field", false, true),
                new LabelledPrompt("eigenvalue of the differential operator", false, true),
                new LabelledPrompt("what is the capital of france", true, true),
                new LabelledPrompt("name a red fruit", true, true));
        LearnedRouter.Settings d = LearnedRouter.Settings.DEFAULT;
        LearnedRouter router = LearnedRouter.train(examples, embedder,
                new LearnedRouter.Settings(d.parts(), 2, 0.05, 0.02, 1, 0.05));
        List<LearnedRouter.Neighbour> nearest = router.nearest(embedder.embed("the integral of a tensor"), 2);
        assertThat(nearest).hasSize(2);
        assertThat(nearest.getFirst().example().prompt()).isEqualTo("compute the integral of the tensor field");
        assertThat(nearest.get(0).similarity()).isGreaterThan(nearest.get(1).similarity());
        assertThat(router.nearest(embedder.embed("x"), 10)).hasSize(4);
        assertThat(score(router, "the integral of a tensor"))
                .isGreaterThan(score(router, "the capital of france"));
    }

    @Test
    void embedsTheHistoryInOneBatchWhenTheEmbedderCan() {
        List<Integer> batches = new ArrayList<>();
        int[] single = {0};
        Embedder counting = Embedder.of(text -> {
            single[0]++;
            return embedder.embed(text);
        }, texts -> {
            batches.add(texts.size());
            return texts.stream().map(embedder::embed).toList();
        });
        LearnedRouter router = LearnedRouter.train(history(50, 6), counting);
        assertThat(batches).containsExactly(50);
        assertThat(single[0]).isZero();
        assertThatThrownBy(() -> LearnedRouter.train(history(3, 6), Embedder.of(embedder, texts -> List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 vectors for 3 prompts");
        assertThat(router.size()).isEqualTo(50);
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThatThrownBy(() -> LearnedRouter.train(List.of(), embedder))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        LearnedRouter router = LearnedRouter.train(history(10, 4), embedder);
        assertThatThrownBy(() -> router.strongScore("x", new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 dimensions, got 3");
        assertThatThrownBy(() -> router.calibrate(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> router.nearest(new float[WordHashEmbedder.DIMENSIONS], -1))
                .isInstanceOf(IllegalArgumentException.class);
        Set<Part> all = EnumSet.allOf(Part.class);
        assertThatThrownBy(() -> new LearnedRouter.Settings(Set.of(), 1, 1, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one part");
        assertThatThrownBy(() -> new LearnedRouter.Settings(all, 0, 1, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearnedRouter.Settings(all, 1, 0, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearnedRouter.Settings(all, 1, 1, -1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearnedRouter.Settings(all, 1, 1, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        int[] lengths = {3, 4};
        int[] call = {0};
        assertThatThrownBy(() -> LearnedRouter.train(history(2, 5), text -> new float[lengths[call[0]++]]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 and of 4");
    }
}
