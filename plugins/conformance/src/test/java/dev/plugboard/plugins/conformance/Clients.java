package dev.plugboard.plugins.conformance;

import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.Root;
import dev.plugboard.api.client.SamplingResult;
import dev.plugboard.api.content.Message;
import dev.plugboard.testkit.RecordingContext;
import java.util.List;
import java.util.Map;

/** The conformance harness's client, as the test kit's {@link RecordingContext}, and its usual answers. */
final class Clients {

    private static final String NAME = "conformance-test-client";

    private Clients() {
    }

    /** A client with every capability. */
    static RecordingContext everything() {
        return new RecordingContext(NAME, ClientCapability.values());
    }

    /** A client with only the given capabilities (none when none are given). */
    static RecordingContext only(ClientCapability... capabilities) {
        return new RecordingContext(NAME, capabilities);
    }

    /** An accepted form. */
    static ElicitResult accepted(Map<String, Object> content) {
        return new ElicitResult(ElicitResult.Action.ACCEPT, content);
    }

    /** What the conformance harness's model answers. */
    static SamplingResult reply(String text) {
        return new SamplingResult(Message.assistant(text), "test-model", "endTurn");
    }

    /** The roots the conformance harness answers with. */
    static List<Root> testRoots() {
        return List.of(new Root("file:///test/root", "Test Root"));
    }
}
