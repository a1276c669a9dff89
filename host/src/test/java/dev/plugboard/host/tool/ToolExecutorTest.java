package dev.plugboard.host.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.plugin.ComponentIntrospector;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ToolExecutorTest {

    private final ObjectMapper mapper = JsonRpcCodec.newMapper();
    private final SampleTools sample = new SampleTools();
    private final ComponentIntrospector introspector = new ComponentIntrospector(mapper, 2);
    private final Catalog catalog = new Catalog(introspector, Duration.ofMillis(200));
    private final Catalog.Registration registration;
    private final List<JsonRpcMessage> sent = new CopyOnWriteArrayList<>();
    private ToolExecutor executor = new ToolExecutor(new Invocations(Duration.ofSeconds(30)));

    ToolExecutorTest() {
        Provider provider = Provider.host(1);
        registration = catalog.register(provider, introspector.apply(sample, provider));
    }

    @AfterEach
    void release() {
        sample.release.countDown();
    }

    private CallContext context(JsonNode progressToken) {
        return new CallContext(new CallerIdentity("alice", Set.of(), "test", "1", "s1"), progressToken,
                m -> sent.add(m), () -> LogLevel.INFO, "tool");
    }

    private CompletableFuture<CallToolResult> start(String tool, String arguments, CallContext context) throws Exception {
        RegisteredTool t = catalog.tool(tool).orElseThrow();
        return executor.call(t, arguments == null ? null : mapper.readTree(arguments), context);
    }

    private CallToolResult call(String tool, String arguments) throws Exception {
        return start(tool, arguments, context(null)).get(10, TimeUnit.SECONDS);
    }

    private String text(CallToolResult r) {
        return r.content().get(0).get("text").asText();
    }

    private McpException invalid(String tool, String arguments) throws Exception {
        try {
            call(tool, arguments);
        } catch (ExecutionException e) {
            return (McpException) e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void bindsArgumentsDefaultsAndOptionals() throws Exception {
        assertThat(text(call("greet_person", "{\"name\":\"Ada\"}"))).isEqualTo("Hello, Ada!");
        assertThat(text(call("greet_person", "{\"name\":\"Ada\",\"times\":2,\"punctuation\":\"?\"}")))
                .isEqualTo("Hello, Ada? Hello, Ada?");
        assertThat(text(call("greet_person", "{\"name\":\"Ada\",\"punctuation\":null}"))).isEqualTo("Hello, Ada!");
        assertThat(text(call("sum_x", "{\"points\":[{\"x\":1,\"y\":2},{\"x\":5,\"y\":0}]}"))).isEqualTo("6");
    }

    @Test
    void recordsBecomeStructuredContentWithTheirJsonAsText() throws Exception {
        CallToolResult r = call("weather.forecast", "{\"city\":\"Oslo\",\"units\":\"IMPERIAL\"}");
        assertThat(r.structuredContent().get("temperature").asDouble()).isEqualTo(70.7);
        assertThat(mapper.readTree(text(r))).isEqualTo(r.structuredContent());
        assertThat(r.isError()).isNull();
    }

    @Test
    void explicitResultsKeepEveryContentType() throws Exception {
        CallToolResult r = call("media", null);
        assertThat(r.content()).extracting(n -> n.get("type").asText())
                .containsExactly("text", "image", "audio", "resource", "resource_link");
        assertThat(r.content().get(1).get("data").asText()).isEqualTo("AQID");
        assertThat(r.content().get(3).at("/resource/text").asText()).isEqualTo("inside");
    }

    @Test
    void voidGivesNoContent() throws Exception {
        assertThat(call("nothing", "{}").content()).isEmpty();
    }

    @Test
    void exceptionsBecomeErrorResultsWithTheirMessageOnly() throws Exception {
        CallToolResult refused = call("refuse", null);
        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).isEqualTo("not today");
        CallToolResult crashed = call("crash", null);
        assertThat(crashed.isError()).isTrue();
        assertThat(text(crashed)).contains("Cannot invoke").doesNotContain("at dev.plugboard");
    }

    @Test
    void schemaViolationsAreInvalidParamsNamingTheArgument() throws Exception {
        McpException e = invalid("greet_person", "{\"times\":\"two\",\"extra\":1}");
        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(e.getMessage()).contains("'name' is required", "'times' must be an integer, not a string",
                "'extra' is not a known argument");
        JsonNode data = mapper.valueToTree(e.data());
        assertThat(data.get("violations")).extracting(v -> v.get("argument").asText())
                .containsExactlyInAnyOrder("name", "times", "extra");
    }

    @Test
    void valuesJavaCannotHoldAreInvalidParams() throws Exception {
        McpException e = invalid("greet_person", "{\"name\":\"x\",\"times\":99999999999}");
        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(e.getMessage()).contains("'times'");
        assertThat(invalid("greet_person", "[1]").getMessage()).contains("must be an object");
    }

    @Test
    void progressAndLogsGoToTheSinkAndOnlyIncrease() throws Exception {
        CallToolResult r = start("work", "{\"steps\":2}", context(IntNode.valueOf(7))).get(10, TimeUnit.SECONDS);
        assertThat(text(r)).isEqualTo("done 2 by alice");
        List<String> methods = sent.stream().map(m -> ((JsonRpcNotification) m).method()).toList();
        assertThat(methods).containsExactly("notifications/progress", "notifications/message",
                "notifications/progress", "notifications/message");
        JsonNode first = mapper.valueToTree(((JsonRpcNotification) sent.get(0)).params());
        assertThat(first.get("progressToken")).isEqualTo(IntNode.valueOf(7));
        assertThat(first.get("total").asDouble()).isEqualTo(2.0);
    }

    @Test
    void withoutAProgressTokenNoProgressIsSent() throws Exception {
        call("work", "{\"steps\":2}");
        assertThat(sent).allMatch(m -> ((JsonRpcNotification) m).method().equals("notifications/message"));
    }

    @Test
    void cancellationInterruptsTheToolAndAnswersAtOnce() throws Exception {
        CallContext context = context(null);
        CompletableFuture<CallToolResult> f = start("stubborn", null, context);
        assertThat(sample.blocked.await(10, TimeUnit.SECONDS)).isTrue();
        context.cancel("cancelled by the client");
        CallToolResult r = f.get(10, TimeUnit.SECONDS);
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("was cancelled: cancelled by the client");
    }

    @Test
    void aCallThatOverrunsItsTimeLimitEndsWithAnError() throws Exception {
        executor = new ToolExecutor(new Invocations(Duration.ofMillis(100)));
        CallContext context = context(null);
        CallToolResult r = start("stubborn", null, context).get(10, TimeUnit.SECONDS);
        assertThat(text(r)).contains("did not finish within");
        assertThat(context.isCancelled()).isTrue();
    }

    @Test
    void callsBeyondTheConcurrencyLimitAreTurnedAway() throws Exception {
        CompletableFuture<CallToolResult> a = start("block", null, context(null));
        CompletableFuture<CallToolResult> b = start("block", null, context(null));
        CallToolResult third = call("block", null);
        assertThat(third.isError()).isTrue();
        assertThat(text(third)).contains("busy");
        sample.release.countDown();
        assertThat(text(a.get(10, TimeUnit.SECONDS))).isEqualTo("released");
        assertThat(text(b.get(10, TimeUnit.SECONDS))).isEqualTo("released");
    }

    @Test
    void removingTheProviderCancelsCallsThatOutliveTheGracePeriod() throws Exception {
        CompletableFuture<CallToolResult> f = start("stubborn", null, context(null));
        assertThat(sample.blocked.await(10, TimeUnit.SECONDS)).isTrue();
        RegisteredTool tool = catalog.tool("stubborn").orElseThrow();
        registration.close();
        CallToolResult r = f.get(10, TimeUnit.SECONDS);
        assertThat(text(r)).contains("was stopped, updated or removed during the call");
        assertThat(catalog.tool("stubborn")).isEmpty();
        CallToolResult late = executor.call(tool, null, context(null)).get(10, TimeUnit.SECONDS);
        assertThat(text(late)).contains("no longer available");
    }

    @Test
    void removingTheProviderLetsShortCallsFinish() throws Exception {
        // A grace period no busy machine outlasts: the point is that the call finishes, not how fast.
        Catalog patient = new Catalog(introspector, Duration.ofMinutes(1));
        Provider provider = Provider.host(2);
        Catalog.Registration patientRegistration = patient.register(provider, introspector.apply(sample, provider));
        CompletableFuture<CallToolResult> f = executor.call(patient.tool("block").orElseThrow(), null, context(null));
        assertThat(sample.blocked.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.ofVirtual().start(patientRegistration::close);
        sample.release.countDown();
        assertThat(text(f.get(10, TimeUnit.SECONDS))).isEqualTo("released");
    }

    @Test
    void anUnknownArgumentsTypeIsRejectedBeforeTheCall() {
        assertThatThrownBy(() -> call("nothing", "\"text\"")).hasCauseInstanceOf(McpException.class);
    }
}
