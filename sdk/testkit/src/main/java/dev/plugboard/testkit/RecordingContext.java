package dev.plugboard.testkit;

import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.api.client.InputResponses;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.client.Root;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.client.SamplingResult;
import dev.plugboard.api.context.Caller;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.context.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RequestContext} for unit tests that call a component's methods directly: it records
 * progress and log messages, reports a fixed caller, and declares no client capability (so asking
 * the client throws {@link MissingCapabilityException}, as the host does for such a client).
 * Thread-safe.
 */
public final class RecordingContext implements RequestContext {

    /** One progress report. */
    public record Progress(double progress, double total, String message) { }

    /** One log message. */
    public record Log(LogLevel level, String message) { }

    private final Caller caller;
    private final List<Progress> progress = new CopyOnWriteArrayList<>();
    private final List<Log> logs = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    /** A context whose caller is the client {@code clientName}, anonymous, without roles. */
    public RecordingContext(String clientName) {
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
        return false;
    }

    @Override
    public InputResponses ask(Map<String, InputRequest> requests) {
        throw missing(ClientCapability.ELICITATION);
    }

    @Override
    public ElicitResult elicit(ElicitRequest request) {
        throw missing(ClientCapability.ELICITATION);
    }

    @Override
    public SamplingResult sample(SamplingRequest request) {
        throw missing(ClientCapability.SAMPLING);
    }

    @Override
    public List<Root> roots() {
        throw missing(ClientCapability.ROOTS);
    }

    private static MissingCapabilityException missing(ClientCapability capability) {
        return new MissingCapabilityException(capability);
    }
}
