package dev.plugboard.router.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordsTest {

    private static final String[] FILLER = {"please", "tell", "me", "about", "the", "question", "quickly", "explain",
        "which", "answer", "is", "right", "here", "now", "short", "long", "first", "last", "given", "choose"};

    private static String words(Random random, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(FILLER[random.nextInt(FILLER.length)]).append(' ');
        }
        return b.toString();
    }

    @Test
    void termsAreWordsNumbersAndSymbolsThenAdjacentPairs() {
        assertThat(Words.terms("Which is NOT 3.5?")).containsExactly("which", "is", "not", "3", ".", "5", "?",
                "which is", "is not", "not 3", "3 .", ". 5", "5 ?");
        assertThat(Words.terms("  ")).isEmpty();
        assertThat(Words.terms("Ünïcode wörds2")).containsExactly("ünïcode", "wörds", "2", "ünïcode wörds", "wörds 2");
    }

    @Test
    void learnsFromAWordPairWhatItsWordsAloneDoNotSay() {
        // every prompt has both "statement" and "one"; only in hard ones are they adjacent, in that order
        Random random = new Random(5);
        List<LabelledPrompt> history = new ArrayList<>();
        for (int i = 0; i < 2000; i++) { // the part is meant for large histories: its penalty suits thousands
            boolean hard = i % 2 == 0;
            String prompt = hard ? words(random, 3) + "statement one " + words(random, 3)
                    : words(random, 2) + "one " + words(random, 2) + "statement " + words(random, 2);
            history.add(new LabelledPrompt(prompt, !hard, true));
        }
        Words words = Words.fit(history.toArray(LabelledPrompt[]::new));
        Random unseen = new Random(17);
        double hard = 0;
        double easy = 0;
        for (int i = 0; i < 50; i++) {
            hard += words.estimate(words(unseen, 3) + "statement one " + words(unseen, 3)) / 50;
            easy += words.estimate(words(unseen, 2) + "one " + words(unseen, 2) + "statement " + words(unseen, 2)) / 50;
        }
        assertThat(hard).isGreaterThan(easy + 0.4);
        assertThat(words.vocabularySize()).isGreaterThan(FILLER.length);
    }

    @Test
    void crossFittedEstimatesDoNotKnowTheirOwnLabel() {
        // labels are coin flips: a fit scored on its own training prompts finds a pattern that is not there
        Random random = new Random(11);
        List<LabelledPrompt> history = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            history.add(new LabelledPrompt(words(random, 12), random.nextBoolean(), true));
        }
        LabelledPrompt[] examples = history.toArray(LabelledPrompt[]::new);
        Words words = Words.fit(examples);
        double[] gain = new double[examples.length];
        double[] inSample = new double[examples.length];
        double[] crossFitted = new double[examples.length];
        for (int i = 0; i < examples.length; i++) {
            gain[i] = examples[i].strongGain();
            inSample[i] = words.estimate(examples[i].prompt());
            crossFitted[i] = words.crossFitted(i);
        }
        double overfitted = correlation(inSample, gain);
        double honest = correlation(crossFitted, gain);
        assertThat(overfitted).isGreaterThan(0.3);
        assertThat(Math.abs(honest)).isLessThan(0.15);
    }

    @Test
    void aHistoryWithoutRepeatedTermsEstimatesItsMeanGain() {
        LabelledPrompt[] examples = {new LabelledPrompt("alpha", false, true), new LabelledPrompt("beta", true, true),
            new LabelledPrompt("gamma", false, true), new LabelledPrompt("delta", false, false)};
        Words words = Words.fit(examples);
        assertThat(words.vocabularySize()).isZero();
        assertThat(words.estimate("alpha")).isEqualTo(0.5);
        assertThat(words.crossFitted(0)).isEqualTo(0.5);
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
