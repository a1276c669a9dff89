package dev.plugboard.host.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.host.engine.EngineFixture;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.session.Session;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** W3C trace context: checked when read, carried into the tool's context and onto its thread. */
class TraceContextTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(30));
    private final McpEngine engine = fixture.engine;
    private final ObjectMapper mapper = fixture.codec.mapper();

    /** A tool that reports the trace context it sees, in its context and on its thread. */
    public static final class TraceTools {
        /** What the call sees. */
        @Tool(description = "Reports the trace context")
        public String trace(RequestContext context) {
            return context.traceparent().orElse("-") + " " + context.tracestate().orElse("-") + " "
                    + TraceContext.current().map(TraceContext::traceparent).orElse("-");
        }
    }

    TraceContextTest() {
        fixture.register(1, new TraceTools());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void onlyWellFormedParentsAreTaken() {
        assertThat(TraceContext.of(PARENT, "a=1")).isPresent();
        assertThat(TraceContext.of(PARENT.toUpperCase(), null)).isEmpty();
        assertThat(TraceContext.of("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null)).isEmpty();
        assertThat(TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null)).isEmpty();
        assertThat(TraceContext.of("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null)).isEmpty();
        assertThat(TraceContext.of(PARENT + "-", null)).isEmpty();
        assertThat(TraceContext.of(null, null)).isEmpty();
        assertThat(TraceContext.of(PARENT, "x".repeat(600)).orElseThrow().tracestate()).isNull();
        assertThat(TraceContext.of(PARENT, "a=1\n").orElseThrow().tracestate()).isNull();
    }

    @Test
    void theMessagesOwnMetaWinsOverHeaders() throws Exception {
        ObjectNode params = (ObjectNode) mapper.readTree("{\"name\":\"trace\"}");
        TraceContext.intoParams(params, PARENT, "a=1");
        assertThat(params.at("/_meta/traceparent").asText()).isEqualTo(PARENT);
        assertThat(params.at("/_meta/tracestate").asText()).isEqualTo("a=1");
        String other = "00-11111111111111111111111111111111-2222222222222222-00";
        TraceContext.intoParams(params, other, null);
        assertThat(params.at("/_meta/traceparent").asText()).isEqualTo(PARENT);
        ObjectNode bad = (ObjectNode) mapper.readTree("{}");
        TraceContext.intoParams(bad, "not a parent", null);
        assertThat(bad.has("_meta")).isFalse();
    }

    @Test
    void upstreamParamsCarryTheCallsTrace() throws Exception {
        assertThat(TraceContext.onto(null, null)).isNull();
        ObjectNode onThread = TraceContext.during(TraceContext.of(PARENT, "a=1").orElseThrow(),
                () -> TraceContext.onto((ObjectNode) mapper.readTree("{\"name\":\"x\"}"), null));
        assertThat(onThread.at("/_meta/traceparent").asText()).isEqualTo(PARENT);
        assertThat(onThread.at("/_meta/tracestate").asText()).isEqualTo("a=1");
        assertThat(onThread.get("name").asText()).isEqualTo("x");
        assertThat(TraceContext.current()).isEmpty();
    }

    @Test
    void theToolSeesTheTraceInItsContextAndOnItsThread() throws Exception {
        Session s = engine.initialize(request(1, "initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{}}"))
                .session();
        assertThat(text(s, request(2, "tools/call", "{\"name\":\"trace\",\"arguments\":{},\"_meta\":{\"traceparent\":\""
                + PARENT + "\",\"tracestate\":\"vendor=x\"}}"))).isEqualTo(PARENT + " vendor=x " + PARENT);
        assertThat(text(s, request(3, "tools/call", "{\"name\":\"trace\",\"arguments\":{}}"))).isEqualTo("- - -");
        assertThat(text(s, request(4, "tools/call", "{\"name\":\"trace\",\"arguments\":{},\"_meta\":{\"traceparent\":"
                + "\"garbage\"}}"))).isEqualTo("- - -");
        assertThat(TraceContext.current()).isEmpty();
    }

    private JsonRpcRequest request(int id, String method, String params) throws Exception {
        return new JsonRpcRequest(IntNode.valueOf(id), method, mapper.readTree(params));
    }

    private String text(Session s, JsonRpcRequest request) throws Exception {
        JsonRpcResponse r = engine.request(s, request, MessageSink.NONE).get(10, TimeUnit.SECONDS);
        JsonNode result = mapper.valueToTree(((JsonRpcResult) r).result());
        return result.at("/content/0/text").asText();
    }
}
