package dev.plugboard.plugins.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.client.RootsRequest;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.content.Message;
import dev.plugboard.plugins.conformance.RecordingContext.Unanswered;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each tool is run as the host runs it under the stateless revision: first without answers (the
 * run ends with the questions, checked for key and shape), then again with the harness's answers.
 */
class InputRequiredToolsTest {

    private final InputRequiredTools tools = new InputRequiredTools();

    private static Map<String, InputRequest> firstRound(Function<RecordingContext, String> tool, RecordingContext ctx) {
        return catchThrowableOfType(Unanswered.class, () -> tool.apply(ctx)).requests();
    }

    private static Map<String, InputRequest> firstRound(Function<RecordingContext, String> tool) {
        return firstRound(tool, new RecordingContext());
    }

    private static ElicitRequest form(String message, String field, String type) {
        return new ElicitRequest(message, Map.of("type", "object", "properties", Map.of(field, Map.of("type", type)),
                "required", List.of(field)));
    }

    @Test
    void elicitationAsksForTheNameUnderUserName() {
        assertThat(firstRound(tools::elicitation))
                .containsExactly(Map.entry("user_name", form("What is your name?", "name", "string")));

        var ctx = new RecordingContext().answer("user_name", RecordingContext.accepted(Map.of("name", "Alice")));
        assertThat(tools.elicitation(ctx)).isEqualTo("Hello, Alice!");
    }

    @Test
    void elicitationIgnoresAnswersToQuestionsItDidNotAsk() {
        var ctx = new RecordingContext()
                .answer("user_name", RecordingContext.accepted(Map.of("name", "Alice")))
                .answer("unknown_extra_key", RecordingContext.accepted(Map.of("foo", "bar")));

        assertThat(tools.elicitation(ctx)).isEqualTo("Hello, Alice!");
    }

    @Test
    void samplingAsksAboutTheCapitalOfFranceUnderSampleRequest() {
        assertThat(firstRound(tools::sampling))
                .containsExactly(Map.entry("sample_request", SamplingRequest.of("What is the capital of France?", 100)));

        var ctx = new RecordingContext().answer("sample_request",
                RecordingContext.reply("The capital of France is Paris."));
        assertThat(tools.sampling(ctx)).isEqualTo("Sampling result: The capital of France is Paris.");
    }

    @Test
    void listRootsAsksForRootsUnderRootsRequest() {
        assertThat(firstRound(tools::listRoots)).containsExactly(Map.entry("roots_request", RootsRequest.INSTANCE));

        var ctx = new RecordingContext().answer("roots_request", RecordingContext.testRoots());
        assertThat(tools.listRoots(ctx)).isEqualTo("Found 1 root(s)");
    }

    @Test
    void requestStateAsksForABooleanConfirmation() {
        assertThat(firstRound(tools::requestState))
                .containsExactly(Map.entry("confirm", form("Please confirm", "ok", "boolean")));

        var ctx = new RecordingContext().answer("confirm", RecordingContext.accepted(Map.of("ok", true)));
        assertThat(tools.requestState(ctx)).isEqualTo("state-ok: requestState validated");
    }

    @Test
    void tamperedStateAsksLikeRequestState() {
        assertThat(firstRound(tools::tamperedState))
                .containsExactly(Map.entry("confirm", form("Please confirm", "ok", "boolean")));

        var ctx = new RecordingContext().answer("confirm", RecordingContext.accepted(Map.of("ok", true)));
        assertThat(tools.tamperedState(ctx)).isEqualTo("state-ok: requestState validated");
    }

    @Test
    void multipleInputsAsksForAllThreeKindsInOneRound() {
        var ctx = new RecordingContext();

        assertThat(firstRound(tools::multipleInputs, ctx)).containsOnly(
                Map.entry("user_name", form("What is your name?", "name", "string")),
                Map.entry("greeting", new SamplingRequest(List.of(Message.user("Generate a greeting")), 50, null, null,
                        List.of())),
                Map.entry("client_roots", RootsRequest.INSTANCE));
        assertThat(ctx.asked).hasSize(1);

        var answered = new RecordingContext()
                .answer("user_name", RecordingContext.accepted(Map.of("name", "Alice")))
                .answer("greeting", RecordingContext.reply("Hello there!"))
                .answer("client_roots", RecordingContext.testRoots());
        assertThat(tools.multipleInputs(answered)).isEqualTo("Name: Alice; Greeting: Hello there!; Roots: 1");
    }

    @Test
    void multiRoundAsksTheSecondQuestionOnlyOnceTheFirstIsAnswered() {
        assertThat(firstRound(tools::multiRound))
                .containsExactly(Map.entry("step1", form("Step 1: What is your name?", "name", "string")));

        var second = new RecordingContext().answer("step1", RecordingContext.accepted(Map.of("name", "Alice")));
        assertThat(firstRound(tools::multiRound, second))
                .containsExactly(Map.entry("step2", form("Step 2: What is your favorite color?", "color", "string")));

        var third = new RecordingContext()
                .answer("step1", RecordingContext.accepted(Map.of("name", "Alice")))
                .answer("step2", RecordingContext.accepted(Map.of("color", "blue")));
        assertThat(tools.multiRound(third)).isEqualTo("Multi-round complete for Alice who likes blue");
    }

    @Test
    void capabilitiesAsksByElicitationWhenTheClientSupportsIt() {
        assertThat(firstRound(tools::capabilities))
                .containsExactly(Map.entry("user_name", form("What is your name?", "name", "string")));

        var ctx = new RecordingContext().answer("user_name", RecordingContext.accepted(Map.of("name", "Alice")));
        assertThat(tools.capabilities(ctx)).isEqualTo("Elicited name: Alice");
    }

    @Test
    void capabilitiesFallsBackToSamplingWithoutElicitation() {
        var samplingOnly = RecordingContext.only(ClientCapability.SAMPLING);

        assertThat(firstRound(tools::capabilities, samplingOnly))
                .containsExactly(Map.entry("sample_input", SamplingRequest.of("Sample request", 100)));

        samplingOnly.answer("sample_input", RecordingContext.reply("sampled"));
        assertThat(tools.capabilities(samplingOnly)).isEqualTo("Sampled: sampled");
    }

    @Test
    void capabilitiesWithNeitherCapabilityReportsTheMissingSampling() {
        assertThatThrownBy(() -> tools.capabilities(RecordingContext.only(ClientCapability.ROOTS)))
                .isInstanceOfSatisfying(MissingCapabilityException.class,
                        e -> assertThat(e.capability()).isEqualTo(ClientCapability.SAMPLING));
    }

    @Test
    void aDeclinedFormGivesUnknownInsteadOfFailing() {
        var ctx = new RecordingContext().answer("user_name",
                new ElicitResult(ElicitResult.Action.DECLINE, null));

        assertThat(tools.elicitation(ctx)).isEqualTo("Hello, unknown!");
    }
}
