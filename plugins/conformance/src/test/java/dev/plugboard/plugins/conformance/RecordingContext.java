package dev.plugboard.plugins.conformance;

import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.api.client.InputResponses;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.client.Root;
import dev.plugboard.api.client.RootsRequest;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.client.SamplingResult;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.context.Caller;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.context.RequestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RequestContext} standing in for the host: it records progress, log messages and every
 * question asked, and answers questions from a map by key. A question without an answer ends the
 * run with {@link Unanswered}, as the host ends a stateless run that needs the client's retry.
 * {@code elicit}, {@code sample} and {@code roots} ask under the keys {@code "elicitation"},
 * {@code "sampling"} and {@code "roots"}.
 */
final class RecordingContext implements RequestContext {

    /** One progress report. */
    record Progress(double progress, double total, String message) {
    }

    /** One log message. */
    record Log(LogLevel level, String message) {
    }

    /** Ends a run that asked something not answered yet. */
    static final class Unanswered extends RuntimeException {

        private final transient Map<String, InputRequest> requests;

        Unanswered(Map<String, InputRequest> requests) {
            super("unanswered: " + requests.keySet());
            this.requests = requests;
        }

        /** The questions that have no answer yet, by key. */
        Map<String, InputRequest> requests() {
            return requests;
        }
    }

    final List<Progress> progress = new ArrayList<>();
    final List<Log> logs = new ArrayList<>();
    /** The argument of every {@link #ask} call, in order. */
    final List<Map<String, InputRequest>> asked = new ArrayList<>();

    private final Set<ClientCapability> capabilities;
    private final Map<String, Object> answers = new HashMap<>();

    /** A client with every capability. */
    RecordingContext() {
        this(EnumSet.allOf(ClientCapability.class));
    }

    private RecordingContext(Set<ClientCapability> capabilities) {
        this.capabilities = capabilities;
    }

    /** A client with only the given capabilities (none when none are given). */
    static RecordingContext only(ClientCapability... capabilities) {
        Set<ClientCapability> set = EnumSet.noneOf(ClientCapability.class);
        set.addAll(Arrays.asList(capabilities));
        return new RecordingContext(set);
    }

    /** Answers the question asked under the key. */
    RecordingContext answer(String key, Object answer) {
        answers.put(key, answer);
        return this;
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

    @Override
    public Caller caller() {
        return new Caller() {
            @Override
            public String principal() {
                return "anonymous";
            }

            @Override
            public Set<String> roles() {
                return Set.of();
            }

            @Override
            public Optional<String> clientName() {
                return Optional.of("conformance-test-client");
            }

            @Override
            public Optional<String> clientVersion() {
                return Optional.of("1.0.0");
            }

            @Override
            public Optional<String> sessionId() {
                return Optional.empty();
            }
        };
    }

    @Override
    public void progress(double done, double total, String message) {
        progress.add(new Progress(done, total, message));
    }

    @Override
    public void log(LogLevel level, String message) {
        logs.add(new Log(level, message));
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean supports(ClientCapability capability) {
        return capabilities.contains(capability);
    }

    @Override
    public InputResponses ask(Map<String, InputRequest> requests) {
        for (InputRequest request : requests.values()) {
            if (!supports(request.capability())) {
                throw new MissingCapabilityException(request.capability());
            }
        }
        asked.add(Map.copyOf(requests));
        Map<String, InputRequest> missing = new LinkedHashMap<>();
        Map<String, Object> given = new HashMap<>();
        requests.forEach((key, request) -> {
            if (answers.containsKey(key)) {
                given.put(key, answers.get(key));
            } else {
                missing.put(key, request);
            }
        });
        if (!missing.isEmpty()) {
            throw new Unanswered(missing);
        }
        return new InputResponses(given);
    }

    @Override
    public ElicitResult elicit(ElicitRequest request) {
        return ask(Map.of("elicitation", request)).elicitation("elicitation");
    }

    @Override
    public SamplingResult sample(SamplingRequest request) {
        return ask(Map.of("sampling", request)).sampling("sampling");
    }

    @Override
    public List<Root> roots() {
        return ask(Map.of("roots", RootsRequest.INSTANCE)).roots("roots");
    }

    /** The only question asked, checking that exactly one {@link #ask} call asked exactly one thing. */
    InputRequest onlyQuestion(String key) {
        if (asked.size() != 1 || !asked.get(0).keySet().equals(Set.of(key))) {
            throw new AssertionError("expected one question under '" + key + "', asked " + asked);
        }
        return asked.get(0).get(key);
    }
}
