package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Streamable HTTP transport's answer to every kind of good and bad request. */
class HttpTransportTest {

    @TempDir
    static Path root;
    static TestHost host;

    @BeforeAll
    static void start() throws Exception {
        host = TestHost.start(root, Map.of("http.maxBodyBytes", "65536"), "plugboard-essentials", "fixture-hello-v1");
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private McpClient client() {
        return new McpClient(host.mcp);
    }

    private static int code(McpClient.Reply r) {
        return r.json().at("/error/code").asInt();
    }

    @Test
    void initializeOpensASessionWithAVisibleAsciiId() throws Exception {
        McpClient c = client();
        McpClient.Reply r = c.post(c.request("initialize",
                "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Mcp-Session-Id")).matches("[\\x21-\\x7E]{16,}");
        assertThat(r.json().at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
    }

    @Test
    void notificationsAndResponsesAreAccepted() throws Exception {
        McpClient c = client().initialize();
        assertThat(c.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/whatever\"}").status()).isEqualTo(202);
        assertThat(c.post("{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"result\":{}}").status()).isEqualTo(202);
    }

    @Test
    void toolsAreListedAndCalled() throws Exception {
        McpClient c = client().initialize();
        assertThat(c.toolNames()).contains("calculate", "current_time", "hello", "slow");
        JsonNode result = c.callTool("calculate", "{\"expression\":\"6*7\"}");
        assertThat(result.at("/structuredContent/result").asDouble()).isEqualTo(42.0);
    }

    @Test
    void aToolThatReportsProgressIsStreamedWithTheResponseLast() throws Exception {
        McpClient c = client().initialize();
        McpClient.Reply r = c.post(c.request("tools/call",
                "{\"name\":\"slow\",\"arguments\":{\"millis\":50},\"_meta\":{\"progressToken\":\"tok\"}}"));
        assertThat(r.header("Content-Type")).startsWith("text/event-stream");
        String[] events = r.raw().body().split("\n\n");
        long progress = java.util.Arrays.stream(events).filter(e -> e.contains("notifications/progress")).count();
        assertThat(progress).isEqualTo(10);
        assertThat(events[events.length - 1]).contains("\"result\"").contains("worked 50 ms");
    }

    @Test
    void aToolWithoutReportsIsAnsweredWithJson() throws Exception {
        McpClient c = client().initialize();
        McpClient.Reply r = c.post(c.request("tools/call", "{\"name\":\"hello\",\"arguments\":{\"name\":\"Jo\"}}"));
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().at("/result/content/0/text").asText()).isEqualTo("Hello, Jo! (v1)");
    }

    @Test
    void malformedJsonIsAParseError() throws Exception {
        McpClient.Reply r = client().initialize().post("{\"jsonrpc\":");
        assertThat(r.status()).isEqualTo(400);
        assertThat(code(r)).isEqualTo(-32700);
        assertThat(r.raw().body()).doesNotContain("at com.").doesNotContain("Exception");
    }

    @Test
    void batchesAndNonMessagesAreInvalidRequests() throws Exception {
        McpClient c = client().initialize();
        McpClient.Reply batch = c.post("[" + c.request("ping", null) + "]");
        assertThat(batch.status()).isEqualTo(400);
        assertThat(code(batch)).isEqualTo(-32600);
        assertThat(code(c.post("{\"jsonrpc\":\"2.0\",\"id\":1}"))).isEqualTo(-32600);
    }

    @Test
    void unknownMethodsAreMethodNotFound() throws Exception {
        McpClient c = client().initialize();
        JsonNode r = c.call("tools/explode", null);
        assertThat(r.at("/error/code").asInt()).isEqualTo(-32601);
    }

    @Test
    void invalidArgumentsNameTheArgumentAndTheReason() throws Exception {
        McpClient c = client().initialize();
        JsonNode r = c.call("tools/call", "{\"name\":\"calculate\",\"arguments\":{\"expression\":42}}");
        assertThat(r.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(r.at("/error/message").asText()).contains("'expression' must be a string, not an integer");
        assertThat(r.at("/error/data/violations/0/argument").asText()).isEqualTo("expression");
        JsonNode unknown = c.call("tools/call", "{\"name\":\"no_such_tool\"}");
        assertThat(unknown.at("/error/message").asText()).isEqualTo("Unknown tool: no_such_tool");
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        McpClient c = client().initialize();
        String big = c.request("tools/call", "{\"name\":\"hello\",\"arguments\":{\"name\":\"" + "x".repeat(70_000) + "\"}}");
        McpClient.Reply r = c.post(big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().at("/error/message").asText()).contains("65536");
        assertThat(c.call("ping", null).get("result")).isNotNull();
    }

    @Test
    void wrongContentTypeIs415AndWrongAcceptIs406() throws Exception {
        McpClient c = client().initialize();
        assertThat(c.post(c.request("ping", null), Map.of("Content-Type", "text/plain")).status()).isEqualTo(415);
        assertThat(c.post(c.request("ping", null), Map.of("Accept", "application/json")).status()).isEqualTo(406);
        assertThat(c.post(c.request("ping", null), Map.of("Accept", "text/html")).status()).isEqualTo(406);
        McpClient.Reply get = c.send("GET", null, Map.of("Accept", "application/json", "Mcp-Session-Id", c.sessionId));
        assertThat(get.status()).isEqualTo(406);
    }

    @Test
    void requestsWithoutASessionAre400AndUnknownSessions404() throws Exception {
        McpClient none = client();
        McpClient.Reply r = none.post(none.request("tools/list", null));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asText()).contains("initialize");
        McpClient stranger = client();
        stranger.sessionId = "no-such-session";
        McpClient.Reply unknown = stranger.post(stranger.request("tools/list", null));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/code").asInt()).isEqualTo(-32001);
        assertThat(stranger.send("DELETE", null, stranger.defaultHeaders()).status()).isEqualTo(404);
        assertThat(stranger.send("GET", null, Map.of("Accept", "text/event-stream", "Mcp-Session-Id", "x")).status())
                .isEqualTo(404);
    }

    @Test
    void pingWorksBeforeInitialize() throws Exception {
        McpClient none = client();
        McpClient.Reply r = none.post(none.request("ping", null));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("result").isEmpty()).isTrue();
    }

    @Test
    void deleteEndsTheSession() throws Exception {
        McpClient c = client().initialize();
        assertThat(c.send("DELETE", null, c.defaultHeaders()).status()).isEqualTo(200);
        assertThat(c.post(c.request("ping", null)).status()).isEqualTo(404);
    }

    @Test
    void foreignHostsAndOriginsAre403() throws Exception {
        McpClient c = client().initialize();
        McpClient.Reply host = c.post(c.request("ping", null), Map.of("Host", "evil.example.com"));
        assertThat(host.status()).isEqualTo(403);
        McpClient.Reply origin = c.post(c.request("ping", null), Map.of("Origin", "https://evil.example.com"));
        assertThat(origin.status()).isEqualTo(403);
        assertThat(origin.json().at("/error/message").asText()).contains("Origin");
        McpClient.Reply local = c.post(c.request("ping", null), Map.of("Origin", "http://localhost:6274"));
        assertThat(local.status()).isEqualTo(200);
        assertThat(local.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:6274");
    }

    @Test
    void preflightAndOtherMethods() throws Exception {
        McpClient c = client();
        McpClient.Reply options = c.send("OPTIONS", null, Map.of("Origin", "http://localhost:3000"));
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("Access-Control-Allow-Headers")).contains("Mcp-Session-Id");
        McpClient.Reply put = c.send("PUT", "{}", Map.of("Content-Type", "application/json"));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).contains("POST");
    }

    @Test
    void anUnsupportedProtocolVersionHeaderIs400() throws Exception {
        McpClient c = client().initialize();
        McpClient.Reply r = c.post(c.request("ping", null), Map.of("MCP-Protocol-Version", "1999-01-01"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asText()).contains("2025-11-25");
        assertThat(c.post(c.request("ping", null), Map.of("MCP-Protocol-Version", "2025-03-26")).status()).isEqualTo(200);
    }

    @Test
    void oneGetStreamPerSession() throws Exception {
        McpClient c = client().initialize();
        try (McpClient.Stream first = c.openStream()) {
            assertThat(first.status).isEqualTo(200);
            Eventually.await("the stream to attach", () -> {
                try (McpClient.Stream second = c.openStream()) {
                    return second.status == 409;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void badInputDisturbsNoOtherSession() throws Exception {
        McpClient good = client().initialize();
        McpClient bad = client().initialize();
        bad.post("{{{");
        bad.post("[]");
        bad.post(bad.request("tools/call", "{\"name\":\"calculate\",\"arguments\":{}}"));
        bad.post("x".repeat(70_000));
        assertThat(good.callTool("hello", "{\"name\":\"Al\"}").at("/content/0/text").asText()).isEqualTo("Hello, Al! (v1)");
        assertThat(bad.callTool("hello", "{\"name\":\"Bo\"}").at("/content/0/text").asText()).isEqualTo("Hello, Bo! (v1)");
    }

    @Test
    void healthProbesAnswer() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var base = host.mcp.resolve("/health/");
        var live = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("live")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        var ready = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode body = McpClient.JSON.readTree(ready.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("bundles")).extracting(b -> b.get("state").asText()).containsOnly("ACTIVE");
    }

    @Test
    void aRunningCallBlocksNothingAndEndsSilentlyWhenCancelled() throws Exception {
        McpClient c = client().initialize();
        String call = c.request("tools/call", "{\"name\":\"slow\",\"arguments\":{\"millis\":60000},"
                + "\"_meta\":{\"progressToken\":7}}");
        String id = McpClient.JSON.readTree(call).get("id").toString();
        try (McpClient.Stream running = c.postStreaming(call)) {
            JsonNode progress = running.await("notifications/progress", Duration.ofSeconds(30));
            assertThat(progress.at("/params/progressToken").asInt()).isEqualTo(7);
            assertThat(c.callTool("hello", "{\"name\":\"x\"}").at("/content/0/text").asText()).isEqualTo("Hello, x! (v1)");
            assertThat(c.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":"
                    + id + ",\"reason\":\"enough\"}}").status()).isEqualTo(202);
            assertThat(running.remaining()).noneMatch(m -> m.has("result") || m.has("error"));
        }
    }
}
