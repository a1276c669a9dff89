package dev.plugboard.plugins.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.tool.ToolException;
import dev.plugboard.testkit.RecordingContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskToolsTest {

    private final TaskTools tools = new TaskTools();

    @Test
    void greetsInTheRequest() {
        assertThat(tools.greet("World")).isEqualTo("Hello, World!");
    }

    @Test
    void computesForNoTimeAtOnce() throws Exception {
        assertThat(tools.slowCompute(0, "instant", Clients.everything())).isEqualTo("Computed instant in 0 s");
    }

    @Test
    void theJobsFailOneAsAToolErrorTheOtherWithoutAnAnswer() {
        assertThatThrownBy(tools::failingJob).isInstanceOf(ToolException.class);
        assertThatThrownBy(tools::protocolErrorJob).isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(ToolException.class);
    }

    @Test
    void asksBeforeDeletingAndEchoesBothAnswers() {
        var ctx = Clients.everything().answer("elicitation", Clients.accepted(Map.of("confirm", true)));
        assertThat(tools.confirmDelete("a.txt", ctx)).isEqualTo("Deleted a.txt");
        var both = Clients.everything().answer("first", Clients.accepted(Map.of("name", "Ada")))
                .answer("second", Clients.accepted(Map.of("confirm", true)));
        assertThat(tools.multiInput(both)).contains("first: ").contains("second: ");
    }

    @Test
    void asksForTheNameBeforeItBecomesATask() throws Exception {
        assertThatThrownBy(() -> tools.toolWithTask(Clients.everything()))
                .isInstanceOf(RecordingContext.Unanswered.class);
        var ctx = Clients.everything().answer(InputRequiredTools.NAME_KEY,
                Clients.accepted(Map.of("name", "Alice")));
        assertThat(tools.toolWithTask(ctx)).contains("Alice");
    }
}
