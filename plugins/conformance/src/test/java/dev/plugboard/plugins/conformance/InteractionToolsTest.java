package dev.plugboard.plugins.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.testkit.RecordingContext.Log;
import dev.plugboard.testkit.RecordingContext.Progress;
import dev.plugboard.testkit.RecordingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class InteractionToolsTest {

    private final InteractionTools tools = new InteractionTools();
    private final RecordingContext ctx = Clients.everything();

    @Test
    void loggingToolLogsThreeInfoMessagesWithPauses() {
        String text = tools.toolWithLogging(ctx);

        assertThat(text).isEqualTo("Tool with logging executed successfully");
        assertThat(ctx.logs()).containsExactly(
                new Log(LogLevel.INFO, "Tool execution started"),
                new Log(LogLevel.INFO, "Tool processing data"),
                new Log(LogLevel.INFO, "Tool execution completed"));
    }

    @Test
    void aCancelledCallStopsAtTheFirstPause() {
        // cancellation interrupts the calling thread; the pause between messages must give way to it
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> tools.toolWithLogging(ctx)).isInstanceOf(CancellationException.class);
            assertThat(ctx.logs()).containsExactly(new Log(LogLevel.INFO, "Tool execution started"));
        } finally {
            Thread.interrupted();
        }
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> tools.toolWithProgress(Clients.everything())).isInstanceOf(CancellationException.class);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void progressToolReportsZeroFiftyAndHundredOfHundred() {
        String text = tools.toolWithProgress(ctx);

        assertThat(text).isEqualTo("Progress completed");
        assertThat(ctx.progress()).containsExactly(
                new Progress(0, 100, "Completed step 0 of 100"),
                new Progress(50, 100, "Completed step 50 of 100"),
                new Progress(100, 100, "Completed step 100 of 100"));
    }

    @Test
    void samplingSendsThePromptAsOneUserMessageWithAHundredTokens() {
        ctx.answer("sampling", Clients.reply("This is a test response from the client"));

        String text = tools.sampling("Test prompt for sampling", ctx);

        assertThat(text).isEqualTo("LLM response: This is a test response from the client");
        assertThat(ctx.onlyQuestion("sampling")).isInstanceOfSatisfying(SamplingRequest.class, request -> {
            assertThat(request.messages()).containsExactly(Message.user("Test prompt for sampling"));
            assertThat(request.maxTokens()).isEqualTo(100);
        });
    }

    @Test
    void samplingWithoutTheCapabilityPropagatesTheMissingCapability() {
        var noSampling = Clients.only(ClientCapability.ELICITATION);

        assertThatThrownBy(() -> tools.sampling("x", noSampling))
                .isInstanceOfSatisfying(MissingCapabilityException.class,
                        e -> assertThat(e.capability()).isEqualTo(ClientCapability.SAMPLING));
    }

    @Test
    void elicitationAsksForUsernameAndEmailAndEchoesTheAnswer() {
        ctx.answer("elicitation", Clients.accepted(Map.of("username", "testuser")));

        String text = tools.elicitation("Please provide your information", ctx);

        assertThat(text).isEqualTo("User response: action=accept, content={\"username\":\"testuser\"}");
        assertThat(ctx.onlyQuestion("elicitation")).isInstanceOfSatisfying(ElicitRequest.class, request -> {
            assertThat(request.message()).isEqualTo("Please provide your information");
            assertThat(request.requestedSchema()).isEqualTo(Map.of(
                    "type", "object",
                    "properties", Map.of(
                            "username", Map.of("type", "string", "description", "User's response"),
                            "email", Map.of("type", "string", "description", "User's email address")),
                    "required", List.of("username", "email")));
        });
    }

    @Test
    void elicitationReportsADeclineInLowerCase() {
        ctx.answer("elicitation", new ElicitResult(ElicitResult.Action.DECLINE, null));

        assertThat(tools.elicitation("Please provide your information", ctx))
                .isEqualTo("User response: action=decline, content={}");
    }
}
