package dev.plugboard.host.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Starts the host's spans and exports them over OTLP/HTTP ({@code tracing.otlp.endpoint}, see
 * docs/observability.md): one span per request at a door, {@code <door> <method>}, and one per tool
 * call under it, {@code tool <name>}, each a child of the trace context the request carried (a new
 * trace without one). Built only when configured: without it the host holds no OpenTelemetry object
 * and its call path pays one null check.
 */
public final class RequestTracer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RequestTracer.class.getName());
    private static final AttributeKey<String> DOOR = AttributeKey.stringKey("plugboard.door");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
    private static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private RequestTracer(SdkTracerProvider provider) {
        this.provider = provider;
        this.tracer = provider.get("dev.plugboard.host");
    }

    /**
     * Starts exporting to the configured endpoint.
     *
     * @param settings where spans go; must be {@link TracingSettings#enabled()}
     * @param version the server's version ({@code service.version})
     */
    public static RequestTracer start(TracingSettings settings, String version) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.otlpEndpoint().toString())
                .build();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), "plugboard",
                AttributeKey.stringKey("service.version"), version)));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        LOG.info(() -> "Exporting spans over OTLP/HTTP to " + settings.otlpEndpoint());
        return new RequestTracer(provider);
    }

    /**
     * Starts the span of a request at a door.
     *
     * @param door the door's name ({@code mcp}, {@code rest}...)
     * @param method the JSON-RPC method
     * @param tool the tool's name for {@code tools/call}, else null
     * @param parent the trace context the request carried, or null
     */
    public HostSpan request(String door, String method, String tool, TraceContext parent) {
        SpanBuilder builder = tracer.spanBuilder(door + " " + method).setSpanKind(SpanKind.SERVER)
                .setParent(parentOf(parent)).setAttribute(DOOR, door).setAttribute(METHOD, method);
        if (tool != null) {
            builder.setAttribute(TOOL, tool);
        }
        return started(builder, parent);
    }

    /**
     * Starts the span of a tool call.
     *
     * @param tool the tool's name
     * @param parent the trace context of the request (its door span's when traced), or null
     */
    public HostSpan toolCall(String tool, TraceContext parent) {
        return started(tracer.spanBuilder("tool " + tool).setSpanKind(SpanKind.INTERNAL).setParent(parentOf(parent))
                .setAttribute(TOOL, tool), parent);
    }

    private static HostSpan started(SpanBuilder builder, TraceContext parent) {
        Span span = builder.startSpan();
        SpanContext c = span.getSpanContext();
        String traceparent = "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
        return new HostSpan(span, new TraceContext(traceparent, parent == null ? null : parent.tracestate()));
    }

    private static Context parentOf(TraceContext parent) {
        if (parent == null) {
            return Context.root();
        }
        String p = parent.traceparent();
        SpanContext remote = SpanContext.createFromRemoteParent(p.substring(3, 35), p.substring(36, 52),
                TraceFlags.fromHex(p, 53), TraceState.getDefault());
        return Context.root().with(Span.wrap(remote));
    }

    /** Sends the spans still buffered and stops exporting. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}
