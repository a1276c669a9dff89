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
import dev.plugboard.testkit.RecordingContext.Unanswered;
import dev.plugboard.testkit.RecordingContext;
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
        return firstRound(tool, Clients.everything());
    }

    private static ElicitRequest form(String message, String field, String type) {
        return new ElicitRequest(message, Map.of("type", "object", "properties", Map.of(field, Map.of("type", type)),
                "required", List.of(field)));
    }

    @Test
    void elicitationAsksForTheNameUnderUserName() {
        assertThat(firstRound(tools::elicitation))
                .containsExactly(Map.entry("user_name", form("What is your name?", "name", "string")));

        var ctx = Clients.everything().answer("user_name", Clients.accepted(Map.of("name", "Alice")));
        assertThat(tools.elicitation(ctx)).isEqualTo("Hello, Alice!");
    }

    @Test
    void elicitationIgnoresAnswersToQuestionsItDidNotAsk() {
        var ctx = Clients.everything()
                .answer("user_name", Clients.accepted(Map.of("name", "Alice")))
                .answer("unknown_extra_key", Clients.accepted(Map.of("foo", "bar")));

        assertThat(tools.elicitation(ctx)).isEqualTo("Hello, Alice!");
    }

    @Test
    void samplingAsksAboutTheCapitalOfFranceUnderSampleRequest() {
        assertThat(firstRound(tools::sampling))
                .containsExactly(Map.entry("sample_request", SamplingRequest.of("What is the capital of France?", 100)));

        var ctx = Clients.everything().answer("sample_request",
                Clients.reply("The capital of France is Paris."));
        assertThat(tools.sampling(ctx)).isEqualTo("Sampling result: The capital of France is Paris.");
    }

    @Test
    void listRootsAsksForRootsUnderRootsRequest() {
        assertThat(firstRound(tools::listRoots)).containsExactly(Map.entry("roots_request", RootsRequest.INSTANCE));

        var ctx = Clients.everything().answer("roots_request", Clients.testRoots());
        assertThat(tools.listRoots(ctx)).isEqualTo("Found 1 root(s)");
    }

    @Test
    void requestStateAsksForABooleanConfirmation() {
        assertThat(firstRound(tools::requestState))
                .containsExactly(Map.entry("confirm", form("Please confirm", "ok", "boolean")));

        var ctx = Clients.everything().answer("confirm", Clients.accepted(Map.of("ok", true)));
        assertThat(tools.requestState(ctx)).isEqualTo("state-ok: requestState validated");
    }

    @Test
    void tamperedStateAsksLikeRequestState() {
        assertThat(firstRound(tools::tamperedState))
                .containsExactly(Map.entry("confirm", form("Please confirm", "ok", "boolean")));

        var ctx = Clients.everything().answer("confirm", Clients.accepted(Map.of("ok", true)));
        assertThat(tools.tamperedState(ctx)).isEqualTo("state-ok: requestState validated");
    }

    @Test
    void multipleInputsAsksForAllThreeKindsInOneRound() {
        var ctx = Clients.everything();

        assertThat(firstRound(tools::multipleInputs, ctx)).containsOnly(
                Map.entry("user_name", form("What is your name?", "name", "string")),
                Map.entry("greeting", new SamplingRequest(List.of(Message.user("Generate a greeting")), 50, null, null,
                        List.of())),
                Map.entry("client_roots", RootsRequest.INSTANCE));
        assertThat(ctx.asked()).hasSize(1);

        var answered = Clients.everything()
                .answer("user_name", Clients.accepted(Map.of("name", "Alice")))
                .answer("greeting", Clients.reply("Hello there!"))
                .answer("client_roots", Clients.testRoots());
        assertThat(tools.multipleInputs(answered)).isEqualTo("Name: Alice; Greeting: Hello there!; Roots: 1");
    }

    @Test
    void multiRoundAsksTheSecondQuestionOnlyOnceTheFirstIsAnswered() {
        assertThat(firstRound(tools::multiRound))
                .containsExactly(Map.entry("step1", form("Step 1: What is your name?", "name", "string")));

        var second = Clients.everything().answer("step1", Clients.accepted(Map.of("name", "Alice")));
        assertThat(firstRound(tools::multiRound, second))
                .containsExactly(Map.entry("step2", form("Step 2: What is your favorite color?", "color", "string")));

        var third = Clients.everything()
                .answer("step1", Clients.accepted(Map.of("name", "Alice")))
                .answer("step2", Clients.accepted(Map.of("color", "blue")));
        assertThat(tools.multiRound(third)).isEqualTo("Multi-round complete for Alice who likes blue");
    }

    @Test
    void capabilitiesAsksByElicitationWhenTheClientSupportsIt() {
        assertThat(firstRound(tools::capabilities))
                .containsExactly(Map.entry("user_name", form("What is your name?", "name", "string")));

        var ctx = Clients.everything().answer("user_name", Clients.accepted(Map.of("name", "Alice")));
        assertThat(tools.capabilities(ctx)).isEqualTo("Elicited name: Alice");
    }

    @Test
    void capabilitiesFallsBackToSamplingWithoutElicitation() {
        var samplingOnly = Clients.only(ClientCapability.SAMPLING);

        assertThat(firstRound(tools::capabilities, samplingOnly))
                .containsExactly(Map.entry("sample_input", SamplingRequest.of("Sample request", 100)));

        samplingOnly.answer("sample_input", Clients.reply("sampled"));
        assertThat(tools.capabilities(samplingOnly)).isEqualTo("Sampled: sampled");
    }

    @Test
    void capabilitiesWithNeitherCapabilityReportsTheMissingSampling() {
        assertThatThrownBy(() -> tools.capabilities(Clients.only(ClientCapability.ROOTS)))
                .isInstanceOfSatisfying(MissingCapabilityException.class,
                        e -> assertThat(e.capability()).isEqualTo(ClientCapability.SAMPLING));
    }

    @Test
    void aDeclinedFormGivesUnknownInsteadOfFailing() {
        var ctx = Clients.everything().answer("user_name",
                new ElicitResult(ElicitResult.Action.DECLINE, null));

        assertThat(tools.elicitation(ctx)).isEqualTo("Hello, unknown!");
    }
}
