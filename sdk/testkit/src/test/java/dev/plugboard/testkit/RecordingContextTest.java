package dev.plugboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.client.SamplingRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordingContextTest {

    private static final ElicitRequest NAME = ElicitRequest.text("Your name?", "name", "who you are");

    @Test
    void aClientWithoutCapabilitiesIsNeverAsked() {
        RecordingContext ctx = new RecordingContext("t");
        assertThat(ctx.supports(ClientCapability.ELICITATION)).isFalse();
        assertThatThrownBy(() -> ctx.elicit(NAME)).isInstanceOf(MissingCapabilityException.class);
        assertThat(ctx.asked()).isEmpty();
    }

    @Test
    void scriptedAnswersReachTheToolAndEveryQuestionIsRecorded() {
        ElicitResult alice = new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("name", "Alice"));
        RecordingContext ctx = new RecordingContext("t", ClientCapability.ELICITATION).answer("elicitation", alice);
        assertThat(ctx.elicit(NAME)).isEqualTo(alice);
        assertThat(ctx.onlyQuestion("elicitation")).isEqualTo(NAME);
    }

    @Test
    void aQuestionWithoutAnAnswerEndsTheCallNamingIt() {
        RecordingContext ctx = new RecordingContext("t", ClientCapability.ELICITATION, ClientCapability.SAMPLING);
        var unanswered = catchThrowableOfType(RecordingContext.Unanswered.class,
                () -> ctx.ask(Map.of("name", NAME)));
        assertThat(unanswered.requests()).containsOnlyKeys("name");
        assertThatThrownBy(() -> new RecordingContext("t", ClientCapability.ELICITATION)
                .sample(SamplingRequest.of("hi", 10)))
                .isInstanceOf(MissingCapabilityException.class);
    }
}
