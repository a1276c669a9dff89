package dev.plugboard.host.protocol;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.logging.LogLevels;
import dev.plugboard.host.protocol.logging.LoggingMessageParams;
import dev.plugboard.host.protocol.progress.ProgressParams;
import dev.plugboard.host.tracing.TraceContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The {@link RequestContext} of one request: sends its progress and log notifications to the
 * request's sink and carries its cancellation.
 */
public final class CallContext implements RequestContext {

    private final Caller caller;
    private volatile TraceContext trace;
    private final JsonNode progressToken;
    private final MessageSink sink;
    private final Supplier<LogLevel> logThreshold;
    private final String logger;
    private final ClientChannel client;
    private final AtomicInteger elicitations = new AtomicInteger();
    private final AtomicInteger samplings = new AtomicInteger();
    private final AtomicInteger rootsRequests = new AtomicInteger();
    private final ReentrantLock progressLock = new ReentrantLock();
    private double lastProgress = Double.NEGATIVE_INFINITY;
    private volatile String cancelReason;
    private volatile Thread worker;
    private volatile boolean ended;
    private final java.util.List<Runnable> cancelHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean cancelledByClient;
    private volatile Runnable taskStarter;

    /**
     * @param caller who is calling
     * @param progressToken the request's progress token, or null when the client wants no progress
     * @param sink where notifications about this request go
     * @param logThreshold the lowest level the client wants, read at each log call; null from the
     *     supplier means the client wants no log messages
     * @param logger the logger name sent with log messages (the tool's name)
     * @param client how to ask the client for input
     */
    public CallContext(Caller caller, JsonNode progressToken, MessageSink sink, Supplier<LogLevel> logThreshold,
            String logger, ClientChannel client) {
        this.caller = caller;
        this.progressToken = progressToken;
        this.sink = sink;
        this.logThreshold = logThreshold;
        this.logger = logger;
        this.client = client;
    }

    /** A context that cannot ask the client for input. */
    public CallContext(Caller caller, JsonNode progressToken, MessageSink sink, Supplier<LogLevel> logThreshold,
            String logger) {
        this(caller, progressToken, sink, logThreshold, logger, ClientChannel.NONE);
    }

    @Override
    public Caller caller() {
        return caller;
    }

    /** Sets the request's W3C trace context (from its headers or {@code _meta}); before the call starts. */
    public void trace(TraceContext trace) {
        this.trace = trace;
    }

    /** The request's W3C trace context, or null. */
    public TraceContext trace() {
        return trace;
    }

    @Override
    public java.util.Optional<String> traceparent() {
        TraceContext t = trace;
        return t == null ? java.util.Optional.empty() : java.util.Optional.of(t.traceparent());
    }

    @Override
    public java.util.Optional<String> tracestate() {
        TraceContext t = trace;
        return t == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(t.tracestate());
    }

    @Override
    public void progress(double progress, double total, String message) {
        if (progressToken == null || ended) {
            return;
        }
        progressLock.lock();
        try {
            if (!(progress > lastProgress)) {
                return;
            }
            lastProgress = progress;
            sink.send(new JsonRpcNotification("notifications/progress",
                    new ProgressParams(progressToken, progress, Double.isNaN(total) ? null : total, message)));
        } finally {
            progressLock.unlock();
        }
    }

    @Override
    public void log(LogLevel level, String message) {
        LogLevel threshold = logThreshold.get();
        if (ended || threshold == null || level.compareTo(threshold) < 0) {
            return;
        }
        sink.send(new JsonRpcNotification("notifications/message",
                new LoggingMessageParams(LogLevels.wireName(level), logger, message)));
    }

    @Override
    public boolean supports(ClientCapability capability) {
        return client.supports(capability);
    }

    @Override
    public InputResponses ask(Map<String, InputRequest> requests) {
        for (InputRequest r : requests.values()) {
            if (!client.supports(r.capability())) {
                throw new MissingCapabilityException(r.capability());
            }
        }
        try {
            return new InputResponses(client.ask(new LinkedHashMap<>(requests)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException(isCancelled() ? "the request was cancelled: " + cancelReason()
                    : "interrupted while waiting for the client");
        }
    }

    @Override
    public ElicitResult elicit(ElicitRequest request) {
        String key = "elicitation-" + elicitations.incrementAndGet();
        return ask(Map.of(key, request)).elicitation(key);
    }

    @Override
    public SamplingResult sample(SamplingRequest request) {
        String key = "sampling-" + samplings.incrementAndGet();
        return ask(Map.of(key, request)).sampling(key);
    }

    @Override
    public List<Root> roots() {
        String key = "roots-" + rootsRequests.incrementAndGet();
        return ask(Map.of(key, RootsRequest.INSTANCE)).roots(key);
    }

    @Override
    public boolean isCancelled() {
        return cancelReason != null;
    }

    /** Why the request was cancelled, or null while it is not. */
    public String cancelReason() {
        return cancelReason;
    }

    /**
     * Marks the request cancelled, interrupts the thread running it and runs the cancel hook. The
     * first reason wins.
     */
    public void cancel(String reason) {
        cancel(reason, false);
    }

    private void cancel(String reason, boolean byClient) {
        synchronized (this) {
            if (cancelReason != null) {
                return;
            }
            cancelledByClient = byClient;
            cancelReason = reason;
            // Under the lock that end() takes: a thread that has left the request (and may already
            // run another one, threads being reused) is never interrupted for it.
            Thread t = worker;
            if (t != null) {
                t.interrupt();
            }
        }
        cancelHooks.forEach(Runnable::run);
    }

    /** Cancels the request because the client asked to: no response will be sent for it. */
    public void cancelByClient(String reason) {
        cancel(reason, true);
    }

    /** Whether the client cancelled the request. */
    public boolean cancelledByClient() {
        return cancelledByClient;
    }

    /** Adds something to run once when the request is cancelled (at once if it already is). */
    public void onCancel(Runnable hook) {
        cancelHooks.add(hook);
        if (cancelReason != null) {
            hook.run();
        }
    }

    @Override
    public void startTask() {
        Runnable starter = taskStarter;
        if (starter != null) {
            starter.run();
        }
    }

    /** Sets what {@link #startTask()} does: turn a call declared with a deferred task into a task. */
    public void taskStarter(Runnable starter) {
        this.taskStarter = starter;
    }

    /** Records the thread that runs the request, so that cancellation can interrupt it. */
    public synchronized void runningOn(Thread thread) {
        this.worker = thread;
    }

    /**
     * Ends the request: later progress and log calls are dropped and no thread is interrupted. Once
     * this returns, cancelling the request no longer interrupts the thread that ran it.
     */
    public synchronized void end() {
        ended = true;
        worker = null;
    }
}
