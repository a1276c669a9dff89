package dev.plugboard.host.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A W3C trace context (<a href="https://www.w3.org/TR/trace-context/">Trace Context</a>): the
 * {@code traceparent} of a request and its {@code tracestate}, taken from the HTTP headers or from
 * the request's {@code _meta}, carried into the call's {@code RequestContext} and onto the calls
 * Plugboard makes upstream while the tool runs ({@link #current()}).
 *
 * @param traceparent {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}, checked
 * @param tracestate the vendor entries, or null; passed on as received when at most 512 characters
 */
public record TraceContext(String traceparent, String tracestate) {

    /** The {@code _meta} and header name of the parent. */
    public static final String TRACEPARENT = "traceparent";
    /** The {@code _meta} and header name of the vendor state. */
    public static final String TRACESTATE = "tracestate";
    private static final int MAX_STATE = 512;
    private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

    /** Checks the parent. */
    public TraceContext {
        if (!valid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent");
        }
        if (tracestate != null && (tracestate.length() > MAX_STATE || !visible(tracestate))) {
            tracestate = null;
        }
    }

    /** The trace context of a parent and state as received; empty when the parent is missing or malformed. */
    public static Optional<TraceContext> of(String traceparent, String tracestate) {
        return valid(traceparent) ? Optional.of(new TraceContext(traceparent, tracestate)) : Optional.empty();
    }

    /** The trace context in a request's {@code params._meta}; empty when there is none or it is malformed. */
    public static Optional<TraceContext> fromParams(JsonNode params) {
        if (params == null) {
            return Optional.empty();
        }
        JsonNode meta = params.get("_meta");
        if (meta == null || !meta.isObject()) {
            return Optional.empty();
        }
        JsonNode parent = meta.get(TRACEPARENT);
        if (parent == null) {
            return Optional.empty();
        }
        JsonNode state = meta.get(TRACESTATE);
        return of(parent.textValue(), state == null ? null : state.textValue());
    }

    /**
     * Puts a trace context from HTTP headers into a request's {@code params._meta}, unless the
     * {@code _meta} names one already (the message's own wins). Does nothing for a malformed parent.
     *
     * @param params the request's params (an object, or nothing happens)
     */
    public static void intoParams(JsonNode params, String traceparent, String tracestate) {
        if (traceparent == null || !(params instanceof ObjectNode object) || !valid(traceparent)) {
            return;
        }
        JsonNode meta = object.get("_meta");
        if (meta != null && !meta.isObject()) {
            return;
        }
        ObjectNode m = meta == null ? object.putObject("_meta") : (ObjectNode) meta;
        if (!m.has(TRACEPARENT)) {
            m.put(TRACEPARENT, traceparent);
            if (tracestate != null && !m.has(TRACESTATE)) {
                m.put(TRACESTATE, tracestate);
            }
        }
    }

    /**
     * Makes this context the one a request's {@code params._meta} names, replacing what it carried
     * (the host's span of the request becomes the parent of what runs under it). Does nothing when
     * the params or their {@code _meta} are not objects.
     */
    public void replaceIn(JsonNode params) {
        if (!(params instanceof ObjectNode object)) {
            return;
        }
        JsonNode meta = object.get("_meta");
        if (meta != null && !meta.isObject()) {
            return;
        }
        ObjectNode m = meta == null ? object.putObject("_meta") : (ObjectNode) meta;
        m.remove(TRACESTATE);
        writeTo(m);
    }

    /** Writes this context into an outgoing request's {@code _meta}: what an upstream call carries. */
    public void writeTo(ObjectNode meta) {
        meta.put(TRACEPARENT, traceparent);
        if (tracestate != null) {
            meta.put(TRACESTATE, tracestate);
        }
    }

    /**
     * Adds the trace context of the call in progress to the {@code _meta} of params that go to an
     * upstream server: the calling tool's {@code RequestContext}'s when it has one, else this
     * thread's ({@link #current()}). The one hook an MCP client needs.
     *
     * @param params the outgoing params, or null
     * @param context the calling tool's context, or null
     * @return the params, created when null and there is a trace to carry
     */
    public static ObjectNode onto(ObjectNode params, dev.plugboard.api.context.RequestContext context) {
        Optional<TraceContext> trace = context == null ? Optional.empty()
                : context.traceparent().flatMap(p -> of(p, context.tracestate().orElse(null)));
        if (trace.isEmpty()) {
            trace = current();
        }
        if (trace.isEmpty()) {
            return params;
        }
        ObjectNode out = params == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : params;
        JsonNode meta = out.get("_meta");
        if (meta == null || meta.isObject()) {
            ObjectNode m = meta == null ? out.putObject("_meta") : (ObjectNode) meta;
            if (!m.has(TRACEPARENT)) {
                trace.get().writeTo(m);
            }
        }
        return out;
    }

    /**
     * The trace context of the tool call running on this thread, if it has one: what a client of an
     * upstream server (such as {@code host.upstream}) adds to the {@code _meta} of what it sends.
     */
    public static Optional<TraceContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Runs code with a trace context as {@link #current()} (null: none), restoring the previous one after. */
    public static <T, E extends Exception> T during(TraceContext trace, Body<T, E> body) throws E {
        TraceContext previous = CURRENT.get();
        CURRENT.set(trace);
        try {
            return body.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Code run under a trace context. */
    @FunctionalInterface
    public interface Body<T, E extends Exception> {
        /** Runs. */
        T run() throws E;
    }

    /** Whether a string is a version-00 traceparent with a non-zero trace id and parent id. */
    static boolean valid(String p) {
        if (p == null || p.length() != 55 || p.charAt(2) != '-' || p.charAt(35) != '-' || p.charAt(52) != '-') {
            return false;
        }
        if (!p.startsWith("00")) {
            return false;
        }
        return hex(p, 3, 35) && hex(p, 36, 52) && hex(p, 53, 55) && !zeros(p, 3, 35) && !zeros(p, 36, 52);
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
