package dev.plugboard.plugins.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.testkit.RecordingContext.Log;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticToolsTest {

    /** Records which change was announced. */
    private static final class RecordingEvents implements CatalogEvents {

        final List<String> events = new ArrayList<>();

        @Override
        public void resourceUpdated(String uri) {
            events.add("resource " + uri);
        }

        @Override
        public void toolsChanged() {
            events.add("tools");
        }

        @Override
        public void resourcesChanged() {
            events.add("resources");
        }

        @Override
        public void promptsChanged() {
            events.add("prompts");
        }
    }

    private final RecordingEvents events = new RecordingEvents();
    private final DiagnosticTools tools = new DiagnosticTools(events);

    @Test
    void missingCapabilityFailsWithoutSampling() {
        var none = Clients.only();

        assertThatThrownBy(() -> tools.missingCapability(none))
                .isInstanceOfSatisfying(MissingCapabilityException.class,
                        e -> assertThat(e.capability()).isEqualTo(ClientCapability.SAMPLING));
        assertThat(none.asked()).isEmpty();
    }

    @Test
    void missingCapabilitySucceedsAtOnceWhenTheClientCanSample() {
        var ctx = Clients.only(ClientCapability.SAMPLING);

        assertThat(tools.missingCapability(ctx)).isEqualTo("Success");
        assertThat(ctx.asked()).isEmpty();
    }

    @Test
    void streamingElicitationReportsProgressAndAsksNothing() {
        var ctx = Clients.everything();

        assertThat(tools.streamingElicitation(ctx)).isEqualTo("Streaming complete");
        assertThat(ctx.progress()).hasSize(1);
        assertThat(ctx.asked()).isEmpty();
    }

    @Test
    void loggingToolLogsOnceThroughTheContext() {
        var ctx = Clients.everything();

        assertThat(tools.loggingTool(ctx)).isEqualTo("Logging evaluated");
        assertThat(ctx.logs()).containsExactly(new Log(LogLevel.INFO, "Logging tool evaluated"));
    }

    @Test
    void triggersAnnounceTheMatchingListChange() {
        assertThat(tools.triggerToolChange()).isEqualTo("Mutation triggered");
        assertThat(tools.triggerPromptChange()).isEqualTo("Mutation triggered");

        assertThat(events.events).containsExactly("tools", "prompts");
    }
}
