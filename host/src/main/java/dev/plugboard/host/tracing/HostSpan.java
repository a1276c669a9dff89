package dev.plugboard.host.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * A span the host started ({@link RequestTracer}): a request at a door or a tool call. Ended once.
 */
public final class HostSpan {

    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("plugboard.outcome");

    private final Span span;
    private final TraceContext context;

    HostSpan(Span span, TraceContext context) {
        this.span = span;
        this.context = context;
    }

    /** The trace context that names this span as the parent: what calls under it carry. */
    public TraceContext context() {
        return context;
    }

    /**
     * Ends the span.
     *
     * @param outcome how it ended ({@code ok}, {@code tool_error}, {@code server_error}...), an attribute
     * @param failed whether its status is error
     */
    public void end(String outcome, boolean failed) {
        span.setAttribute(OUTCOME, outcome);
        if (failed) {
            span.setStatus(StatusCode.ERROR, outcome);
        }
        span.end();
    }
}
