package dev.plugboard.router.learned;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.router.Eventually;
import dev.plugboard.router.routing.LearnedRoute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learned route trained from router.json's examples file, following both files. */
class LearnedRouteComponentTest {

    static final String CONFIG = """
            {"providers": {"p": {"baseUrl": "http://127.0.0.1:9/v1"}},
             "models": {"small": {"provider": "p"}, "big": {"provider": "p"}},
             "tiers": {"cheap": {"models": ["small"]}, "strong": {"models": ["big"]}}
             LEARNED}
            """;
    static final String LEARNED = """
            , "learned": {"weakTier": "cheap", "strongTier": "strong", "targetStrongShare": SHARE, "examples": "examples.jsonl"}""";

    @TempDir
    Path dir;
    LearnedRouteComponent component;

    @AfterEach
    void stop() {
        if (component != null) {
            component.close();
        }
    }

    /** Hard proofs the weak tier gets wrong, easy look-ups both tiers get right. */
    static List<String> examples(int each) {
        String[] hard = {"prove the theorem on prime gaps", "prove the lemma on prime factors by induction",
            "derive the proof that prime numbers are infinite", "prove the bound on prime counting rigorously",
            "prove this inequality on prime sums", "give a formal proof about prime ideals"};
        String[] easy = {"what is the capital of france", "what is the capital city of peru",
            "name the capital of spain", "tell me the capital of italy", "which city is the capital of chile",
            "what is the capital of japan"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            lines.add("{\"prompt\": \"" + hard[i % hard.length] + "\", \"weakCorrect\": false, \"strongCorrect\": true}");
            lines.add("{\"prompt\": \"" + easy[i % easy.length] + "\", \"weakCorrect\": true, \"strongCorrect\": true}");
        }
        return lines;
    }

    void write(String learned, List<String> examples) throws IOException {
        Files.write(dir.resolve("examples.jsonl"), examples);
        Files.writeString(dir.resolve("router.json"), CONFIG.replace("LEARNED", learned));
    }

    LearnedRouteComponent start() {
        component = new LearnedRouteComponent(new WordHashEmbedder(), dir);
        return component;
    }

    @Test
    void trainsInTheBackgroundThenSendsHardPromptsToTheStrongTierExplainedByNeighbours() throws Exception {
        write(LEARNED.replace("SHARE", "0.5"), examples(6));
        LearnedRoute route = start().route();
        Eventually.until(route::ready);
        assertThat(route.status()).startsWith("available: 12 examples");

        LearnedRoute.Judgement hard = route.judge("prove the conjecture on prime gaps");
        assertThat(hard.strong()).isTrue();
        assertThat(hard.score()).isGreaterThanOrEqualTo(hard.threshold());
        assertThat(hard.neighbours()).hasSize(TrainedRoute.EXPLAINED_BY);
        assertThat(hard.neighbours().getFirst()).contains("prove the theorem on prime gaps")
                .contains("weak tier wrong, strong tier right");

        LearnedRoute.Judgement easy = route.judge("what is the capital of peru");
        assertThat(easy.strong()).isFalse();
        assertThat(easy.neighbours().getFirst()).contains("capital").contains("weak tier right");
    }

    @Test
    void editingTheExamplesOrTheShareRetrains() throws Exception {
        write(LEARNED.replace("SHARE", "0.5"), examples(6));
        LearnedRoute route = start().route();
        Eventually.until(route::ready);

        List<String> more = examples(10);
        Files.write(dir.resolve("examples.jsonl"), more);
        Eventually.until(() -> route.status().startsWith("available: 20 examples"));

        Files.writeString(dir.resolve("router.json"), CONFIG.replace("LEARNED", LEARNED.replace("SHARE", "0.2")));
        Eventually.until(() -> route.status().contains("sends 20% of them"));
    }

    @Test
    void aBadExamplesFileIsReportedByLineAndTheLastTrainingKeepsJudging() throws Exception {
        write(LEARNED.replace("SHARE", "0.5"), examples(6));
        LearnedRoute route = start().route();
        Eventually.until(route::ready);

        Files.write(dir.resolve("examples.jsonl"), List.of(examples(1).getFirst(), "{\"prompt\": \"no labels\"}"));
        Eventually.until(() -> route.status().contains("retraining failed"));
        assertThat(route.status()).contains("line 2 needs a \"prompt\" text");
        assertThat(route.ready()).isTrue();
        assertThat(route.judge("prove the lemma on prime factors").strong()).isTrue();
    }

    @Test
    void aMissingExamplesFileFailsClearlyAndRemovingTheBlockIdles() throws Exception {
        Files.writeString(dir.resolve("router.json"), CONFIG.replace("LEARNED", LEARNED.replace("SHARE", "0.5")));
        LearnedRoute route = start().route();
        Eventually.until(() -> route.status().startsWith("failed"));
        assertThat(route.status()).contains("examples.jsonl").contains("missing or empty");
        assertThat(route.ready()).isFalse();

        Files.write(dir.resolve("examples.jsonl"), examples(6));
        Eventually.until(route::ready);

        Files.writeString(dir.resolve("router.json"), CONFIG.replace("LEARNED", ""));
        Eventually.until(() -> !route.ready());
        assertThat(route.status()).startsWith("idle");
    }
}
