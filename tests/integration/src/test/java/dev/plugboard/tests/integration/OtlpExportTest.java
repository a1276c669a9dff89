package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracing.otlp.endpoint}: the host exports a span per request at each door and one per tool
 * call, children of the client's W3C trace context, to a real OTLP/HTTP receiver on loopback, and
 * the tool sees its own span as the parent.
 */
class OtlpExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final String PARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01";

    @TempDir
    Path root;

    private HttpServer receiver;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<String> serviceNames = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
                export.getResourceSpansList().forEach(r -> {
                    r.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
                            .forEach(a -> serviceNames.add(a.getValue().getStringValue()));
                    r.getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList()));
                });
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void requestsAndToolCallsAreExportedAsChildrenOfTheClientsTrace() throws Exception {
        String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces";
        try (TestHost host = TestHost.start(root, Map.of("tracing.otlp.endpoint", endpoint), "fixture-meters")) {
            McpClient mcp = new McpClient(host.mcp).initialize();
            String seenOverMcp = mcp.post(mcp.request("tools/call", "{\"name\":\"trace_of_call\",\"arguments\":{}}"),
                    Map.of("traceparent", PARENT)).message().at("/result/content/0/text").asText();
            HttpResponse<String> rest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + host.host.port() + "/api/v1/tools/trace_of_call/call"))
                    .header("Content-Type", "application/json").header("traceparent", PARENT)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            String seenOverRest = JSON.readTree(rest.body()).at("/content/0/text").asText();
            int port = host.host.port();
            String seenOverGraphql = new GraphqlClient(port).send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/graphql")).header("Content-Type", "application/json")
                    .header("Accept", "application/json").header("traceparent", PARENT),
                    "{\"query\":\"mutation { callTool(name: \\\"trace_of_call\\\") { content } }\"}", null)
                    .data("/callTool/content/0/text").asText();

            Eventually.await("the spans of both calls to be exported", Duration.ofSeconds(60),
                    () -> spans.stream().filter(s -> s.getName().equals("tool trace_of_call")).count() >= 3
                            && door("mcp").isPresent() && door("rest").isPresent() && door("graphql").isPresent());

            assertThat(serviceNames).contains("plugboard");
            for (var seen : Map.of("mcp", seenOverMcp, "rest", seenOverRest, "graphql",
                    seenOverGraphql).entrySet()) {
                Span door = door(seen.getKey()).orElseThrow();
                assertThat(hex(door.getTraceId())).isEqualTo(TRACE_ID);
                assertThat(hex(door.getParentSpanId())).as("the door's span is the client's child").isEqualTo(CLIENT_SPAN);
                assertThat(door.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
                assertThat(attribute(door, "plugboard.door")).isEqualTo(seen.getKey());
                assertThat(attribute(door, "mcp.method.name")).isEqualTo("tools/call");
                assertThat(attribute(door, "gen_ai.tool.name")).isEqualTo("trace_of_call");
                assertThat(attribute(door, "plugboard.outcome")).isEqualTo("ok");

                Span tool = spans.stream().filter(s -> s.getName().equals("tool trace_of_call")
                        && s.getParentSpanId().equals(door.getSpanId())).findFirst().orElseThrow();
                assertThat(hex(tool.getTraceId())).isEqualTo(TRACE_ID);
                assertThat(seen.getValue()).as("the tool sees its own span as the parent")
                        .isEqualTo("00-" + TRACE_ID + "-" + hex(tool.getSpanId()) + "-01");
            }
        }
    }

    @Test
    void aFailedCallsSpansHaveStatusErrorAndARequestWithoutTraceStartsOne() throws Exception {
        String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces";
        try (TestHost host = TestHost.start(root, Map.of("tracing.otlp.endpoint", endpoint), "fixture-misbehaving")) {
            McpClient mcp = new McpClient(host.mcp).initialize();
            mcp.call("tools/list", "{}");
            mcp.call("tools/call", "{\"name\":\"overflow\",\"arguments\":{}}");
            Eventually.await("the spans to be exported", Duration.ofSeconds(60),
                    () -> named("mcp tools/list").isPresent() && door("mcp").isPresent()
                            && named("tool overflow").isPresent());
            Span list = named("mcp tools/list").orElseThrow();
            assertThat(list.getParentSpanId().isEmpty()).as("no incoming trace: a new root").isTrue();
            assertThat(list.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            Span call = door("mcp").orElseThrow();
            assertThat(call.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(call.getTraceId()).isNotEqualTo(list.getTraceId());
            Span tool = named("tool overflow").orElseThrow();
            assertThat(tool.getParentSpanId()).isEqualTo(call.getSpanId());
            assertThat(tool.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        }
    }

    private Optional<Span> named(String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    private Optional<Span> door(String door) {
        return spans.stream().filter(s -> s.getName().equals(door + " tools/call")).findFirst();
    }

    private static String attribute(Span span, String key) {
        return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).map(KeyValue::getValue)
                .map(v -> v.getStringValue()).findFirst().orElse(null);
    }

    private static String hex(com.google.protobuf.ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }
}
