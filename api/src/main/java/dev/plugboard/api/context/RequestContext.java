package dev.plugboard.api.context;

import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.api.client.InputResponses;
import dev.plugboard.api.client.Root;
import dev.plugboard.api.client.RootsRequest;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.client.SamplingResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The context of one MCP request, handed to a tool, prompt or resource method that declares a
 * parameter of this type.
 *
 * <p>Instances are supplied by the host, are valid only while the call runs, and may be used from
 * any thread the tool starts for the call. Calls after the request has ended are ignored.
 */
@ProviderType
public interface RequestContext {

    /** Who is calling; never null. */
    Caller caller();

    /**
     * Reports progress to the client, if it asked for progress. Values must increase from one call
     * to the next; reports that do not are dropped.
     *
     * @param progress work done so far, in any unit
     * @param total the total in the same unit, or {@code Double.NaN} when unknown
     * @param message a short human-readable status, or null
     */
    void progress(double progress, double total, String message);

    /**
     * Reports progress when the total is unknown.
     *
     * @param progress work done so far, in any unit
     * @param message a short human-readable status, or null
     */
    default void progress(double progress, String message) {
        progress(progress, Double.NaN, message);
    }

    /**
     * Sends a log message to the client, if the client's log level lets it through.
     *
     * @param level the message's severity
     * @param message the message; never null
     */
    void log(LogLevel level, String message);

    /**
     * Whether the client cancelled the request, the call timed out, or its plugin is going away.
     * A long-running tool should check this between steps; the host also interrupts the calling
     * thread when the request is cancelled.
     */
    boolean isCancelled();

    /** Whether the client declared the capability for this request. */
    boolean supports(ClientCapability capability);

    /**
     * Asks the client several things at once and waits for every answer (one round trip in either
     * protocol revision).
     *
     * @param requests what to ask, by keys of the caller's choosing (stable across runs of the method)
     * @return the answers by the same keys
     * @throws dev.plugboard.api.client.MissingCapabilityException if the client lacks a capability
     *     one of the requests needs
     */
    InputResponses ask(Map<String, InputRequest> requests);

    /**
     * Asks the user through a form and waits for the answer.
     *
     * @throws dev.plugboard.api.client.MissingCapabilityException without the elicitation capability
     */
    ElicitResult elicit(ElicitRequest request);

    /**
     * Asks the client's model to generate a message and waits for it.
     *
     * @throws dev.plugboard.api.client.MissingCapabilityException without the sampling capability
     */
    SamplingResult sample(SamplingRequest request);

    /**
     * Asks the client for its roots and waits for them.
     *
     * @throws dev.plugboard.api.client.MissingCapabilityException without the roots capability
     */
    List<Root> roots();

    /**
     * The request's W3C {@code traceparent} (from the HTTP header or the request's {@code _meta}),
     * for a plugin that traces or calls on; empty when the client sent none (or a malformed one).
     * Plugboard's own upstream calls carry it already.
     *
     * @since 1.1
     */
    default Optional<String> traceparent() {
        return Optional.empty();
    }

    /**
     * The request's W3C {@code tracestate}, sent with its {@link #traceparent()}; empty without one.
     *
     * @since 1.1
     */
    default Optional<String> tracestate() {
        return Optional.empty();
    }

    /**
     * Ends the call if it was cancelled.
     *
     * @throws java.util.concurrent.CancellationException if {@link #isCancelled()} is true
     */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new java.util.concurrent.CancellationException("the request was cancelled");
        }
    }

    /**
     * For a tool declared with {@code @Tool(deferTask = true)}: the call becomes a task here. The
     * host answers the request with the task, and the rest of the method runs in the background;
     * questions asked after this point park the task until the client answers them. Does nothing in
     * any other call, or when the client cannot take a task.
     *
     * @since 1.1
     */
    default void startTask() {
    }
}
