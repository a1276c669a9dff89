package dev.plugboard.router.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.router.learned.SemanticMatch.Reason;
import org.junit.jupiter.api.Test;

class SemanticMatchTest {

    private static final float[] SAME_VECTOR = unit(1, 0, 0);

    private final SemanticMatch match = SemanticMatch.defaults();

    private static float[] unit(double... v) {
        double n = 0;
        for (double d : v) {
            n += d * d;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    /** The decision when the embeddings are identical: only the literal guard can refuse. */
    private SemanticMatch.Decision closeAs(String a, String b) {
        return match.compare(a, SAME_VECTOR, b, SAME_VECTOR);
    }

    @Test
    void refusesDifferentNumbersEvenWithIdenticalEmbeddings() {
        SemanticMatch.Decision d = closeAs("What is 2+2?", "What is 2+3?");
        assertThat(d.same()).isFalse();
        assertThat(d.reason()).isEqualTo(Reason.NUMBERS_DIFFER);
        assertThat(d.similarity()).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(closeAs("Convert 1,000 metres to miles", "Convert 1,500 metres to miles").reason())
                .isEqualTo(Reason.NUMBERS_DIFFER);
        assertThat(closeAs("I have two apples and eat one", "I have three apples and eat one").reason())
                .isEqualTo(Reason.NUMBERS_DIFFER);
    }

    @Test
    void refusesDifferentNamesQuotesAndNegations() {
        assertThat(closeAs("What is the population of Paris?", "What is the population of Lyon?").reason())
                .isEqualTo(Reason.ENTITIES_DIFFER);
        assertThat(closeAs("Who wrote Hamlet?", "Who wrote Macbeth?").reason()).isEqualTo(Reason.ENTITIES_DIFFER);
        assertThat(closeAs("What does `git rebase` do?", "What does `git merge` do?").reason())
                .isEqualTo(Reason.ENTITIES_DIFFER);
        assertThat(closeAs("Compare Python 3.12 and gpt-4o", "Compare Python 3.12 and gpt-4o-mini").reason())
                .isEqualTo(Reason.ENTITIES_DIFFER);
        assertThat(closeAs("Which of the following is true of mitosis?", "Which of the following is not true of mitosis?").reason())
                .isEqualTo(Reason.NEGATION_DIFFERS);
    }

    @Test
    void refusesTheSameStemWithOtherChoices() {
        String a = "Which planet is largest?\nA. Mars\nB. Jupiter\nC. Venus\nD. Earth\nAnswer:";
        assertThat(closeAs(a, "Which planet is largest?\nA. Jupiter\nB. Mars\nC. Venus\nD. Earth\nAnswer:").reason())
                .as("same choices in another order").isEqualTo(Reason.CHOICES_DIFFER);
        assertThat(closeAs("Which gas do plants absorb?\nA. oxygen\nB. carbon dioxide",
                "Which gas do plants absorb?\nA. oxygen\nB. nitrogen").reason()).isEqualTo(Reason.CHOICES_DIFFER);
        assertThat(closeAs(a, "Which planet is largest?\n(A) Mars\n(B) Jupiter\n(C) Venus\n(D) Earth").same())
                .as("choices relabelled, same text and order").isTrue();
    }

    @Test
    void acceptsTheSameQuestionInAnotherForm() {
        assertThat(closeAs("What is the capital of France?", "what is the capital of france").same()).isTrue();
        assertThat(closeAs("What is the capital of France?", "Please tell me: what is the capital of France?").same()).isTrue();
        assertThat(closeAs("I have 2 apples", "I have two apples").reason()).isEqualTo(Reason.SAME);
        assertThat(closeAs("Sum 1000 and 5", "Sum 1,000 and 5").reason()).isEqualTo(Reason.SAME);
    }

    @Test
    void refusesPromptsWhoseEmbeddingsAreNotCloseEnough() {
        float[] other = unit(0.9, 0.44, 0); // cosine 0.9 with SAME_VECTOR
        SemanticMatch.Decision d = match.compare("What is the capital of France?", SAME_VECTOR,
                "What is the capital of France?", other);
        assertThat(d.same()).isFalse();
        assertThat(d.reason()).isEqualTo(Reason.NOT_SIMILAR);
        assertThat(new SemanticMatch(0.85).compare("a", SAME_VECTOR, "a", other).same()).isTrue();
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThatThrownBy(() -> new SemanticMatch(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SemanticMatch(1.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> match.compare("a", new float[2], "a", new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 and 3");
    }
}
