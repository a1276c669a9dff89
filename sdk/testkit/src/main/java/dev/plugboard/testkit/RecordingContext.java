package dev.plugboard.testkit;

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
import dev.plugboard.api.context.Caller;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.context.RequestContext;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RequestContext} for unit tests that call a component's methods directly: it records
 * progress and log messages and reports a fixed caller. By default the client declares no capability,
 * so asking it anything throws {@link MissingCapabilityException}, as the host does for such a client.
 * Declare capabilities with {@link #RecordingContext(String, ClientCapability...)} and script the
 * client's answers with {@link #answer}: {@code elicit}, {@code sample} and {@code roots} ask under the
 * keys {@code "elicitation"}, {@code "sampling"} and {@code "roots"}; a question with no answer ends the
 * call with {@link Unanswered}, as a stateless request ends when it needs the client's input.
 * Thread-safe.
 */
public final class RecordingContext implements RequestContext {

    /** One progress report. */
    public record Progress(double progress, double total, String message) { }

    /** One log message. */
    public record Log(LogLevel level, String message) { }

    /** Ends a call that asked the client something no {@link #answer} was given for. */
    public static final class Unanswered extends RuntimeException {

        private final transient Map<String, InputRequest> requests;

        Unanswered(Map<String, InputRequest> requests) {
            super("the client was asked what the test gave no answer for: " + requests.keySet());
            this.requests = Map.copyOf(requests);
        }

        /** The questions without an answer, by key. */
        public Map<String, InputRequest> requests() {
            return requests;
        }
    }

    private final Caller caller;
    private final Set<ClientCapability> capabilities;
    private final Map<String, Object> answers = new ConcurrentHashMap<>();
    private final List<Map<String, InputRequest>> asked = new CopyOnWriteArrayList<>();
    private final List<Progress> progress = new CopyOnWriteArrayList<>();
    private final List<Log> logs = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    /** A context whose caller is the client {@code clientName}, anonymous, without roles or capabilities. */
    public RecordingContext(String clientName) {
        this(clientName, new ClientCapability[0]);
    }

    /**
     * A context whose caller is the client {@code clientName}, anonymous, without roles, declaring the
     * given client capabilities.
     */
    public RecordingContext(String clientName, ClientCapability... capabilities) {
        this.capabilities = capabilities.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(capabilities));
        this.caller = new Caller() {
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
                return Optional.of(clientName);
            }

            @Override
            public Optional<String> clientVersion() {
                return Optional.empty();
            }

            @Override
            public Optional<String> sessionId() {
                return Optional.empty();
            }
        };
    }

    /** The progress reported so far, in order. */
    public List<Progress> progress() {
        return List.copyOf(progress);
    }

    /** The messages logged so far, in order. */
    public List<Log> logs() {
        return List.copyOf(logs);
    }

    /**
     * The client's answer to the question asked under {@code key}: an {@link ElicitResult}, a
     * {@link SamplingResult} or a {@code List<Root>}, as the question's kind needs.
     *
     * @return this context
     */
    public RecordingContext answer(String key, Object answer) {
        answers.put(key, answer);
        return this;
    }

    /** The questions of every {@link #ask} call so far (elicit, sample and roots included), in order. */
    public List<Map<String, InputRequest>> asked() {
        return List.copyOf(asked);
    }

    /**
     * The one question asked under {@code key}.
     *
     * @throws AssertionError unless exactly one call asked exactly that one question
     */
    public InputRequest onlyQuestion(String key) {
        List<Map<String, InputRequest>> all = asked();
        if (all.size() != 1 || !all.getFirst().keySet().equals(Set.of(key))) {
            throw new AssertionError("expected one question under '" + key + "', asked " + all);
        }
        return all.getFirst().get(key);
    }

    /** Marks the request cancelled, as a client's cancellation does. */
    public void cancel() {
        cancelled = true;
    }

    @Override
    public Caller caller() {
        return caller;
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
        return cancelled;
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
        Map<String, Object> given = new LinkedHashMap<>();
        requests.forEach((key, request) -> {
            Object answer = answers.get(key);
            if (answer == null) {
                missing.put(key, request);
            } else {
                given.put(key, answer);
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
}
