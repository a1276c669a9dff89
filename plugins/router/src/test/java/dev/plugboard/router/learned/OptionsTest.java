package dev.plugboard.router.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static final String[] WORDS = {"paralysis", "taste", "muscles", "salivation", "nerve", "binary", "galaxy",
        "supernova", "ray", "burst", "field", "degree", "market", "price", "tax", "court", "law", "river", "cell", "acid"};

    @Test
    void readsLetteredLinesInOrderAsOptions() {
        assertThat(Options.option("A. paralysis", 0)).isEqualTo("paralysis");
        assertThat(Options.option("B) two words", 1)).isEqualTo("two words");
        assertThat(Options.option("(C) three", 2)).isEqualTo("three");
        assertThat(Options.option("D.", 3)).isEmpty();
        assertThat(Options.option("B. out of order", 0)).isNull();
        assertThat(Options.option("A: not a mark", 0)).isNull();
        assertThat(Options.option("Answer:", 0)).isNull();
        assertThat(Options.option("K. past the tenth", 10)).isNull();
    }

    @Test
    void measuresTheLargestAndTheMeanOverlapOfTheOptionsWordSets() {
        String prompt = "Which is right?\nA. red apple\nB. red pear\nC. blue sky\nAnswer:";
        // {red, apple} / {red, pear}: 1/3; the other two pairs share nothing
        assertThat(Options.overlap(prompt)).containsExactly(new double[] {1.0 / 3, 1.0 / 9}, within(1e-12));
        assertThat(Options.overlap("A question without options.")).containsExactly(0, 0);
        assertThat(Options.overlap("Only one:\nA. alone")).containsExactly(0, 0);
        // a lettered line out of sequence is part of the question: here A and B are the options, not C
        assertThat(Options.overlap("A. same words\nC. same words\nB. other text")).containsExactly(0, 0);
    }

    private static String option(Random random, List<String> shared, int own) {
        StringBuilder b = new StringBuilder(String.join(" ", shared));
        for (int i = 0; i < own; i++) {
            b.append(' ').append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(1000));
        }
        return b.toString();
    }

    private static String prompt(Random random, boolean alike) {
        List<String> shared = alike ? List.of("paralysis", "of", "the", "facial", "muscles") : List.of();
        StringBuilder b = new StringBuilder("Which of these is true?");
        for (int i = 0; i < 4; i++) {
            b.append('\n').append((char) ('A' + i)).append(". ").append(option(random, shared, 3));
        }
        return b.append("\nAnswer:").toString();
    }

    @Test
    void learnsThatAlikeOptionsNeedTheStrongModel() {
        Random random = new Random(3);
        List<LabelledPrompt> history = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            boolean alike = random.nextBoolean();
            // alike options: the weak model fails four times in five; distinct ones: once in five
            boolean weakCorrect = random.nextInt(5) < (alike ? 1 : 4);
            history.add(new LabelledPrompt(prompt(random, alike), weakCorrect, true));
        }
        Options options = Options.fit(history.toArray(LabelledPrompt[]::new));
        Random unseen = new Random(9);
        assertThat(options.estimate(prompt(unseen, true))).isGreaterThan(options.estimate(prompt(unseen, false)) + 0.4);
    }

    @Test
    void aHistoryWithoutOptionsGivesEveryPromptItsMeanGain() {
        List<LabelledPrompt> history = List.of(new LabelledPrompt("open question one", false, true),
                new LabelledPrompt("open question two", true, true), new LabelledPrompt("open question three", false, true),
                new LabelledPrompt("open question four", true, false));
        Options options = Options.fit(history.toArray(LabelledPrompt[]::new));
        double mean = (1 + 0 + 1 - 1) / 4.0;
        assertThat(options.estimate("anything")).isCloseTo(mean, within(1e-12));
        assertThat(options.estimate("Pick:\nA. x y\nB. x y")).isCloseTo(mean, within(1e-12));
    }
}
