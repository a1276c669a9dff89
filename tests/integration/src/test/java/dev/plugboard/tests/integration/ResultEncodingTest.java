package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results the host cannot send as they are (nested too deeply, cyclic, larger than the limit,
 * holding NaN) become clean JSON-RPC errors or repaired results on every HTTP answer form: JSON,
 * SSE after progress, and the stateless revision; the server serves on.
 */
class ResultEncodingTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path root;
    static TestHost host;

    @BeforeAll
    static void start() throws Exception {
        host = TestHost.start(root, Map.of("mcp.maxResultBytes", "100000"), "fixture-results", "fixture-hello-v1");
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static void assertPlain(String body) {
        assertThat(body).doesNotContain("Exception").doesNotContain("jackson").doesNotContain("java.")
                .doesNotContain("<html").doesNotContain("StreamConstraints");
    }

    private static void assertStillServing(McpClient c) throws Exception {
        assertThat(c.callTool("hello", "{\"name\":\"Al\"}").at("/content/0/text").asText()).isEqualTo("Hello, Al! (v1)");
    }

    @Test
    void aResultNestedTooDeeplyIsAJsonRpcErrorInJson() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        McpClient.Reply r = c.post(c.request("tools/call", "{\"name\":\"deep\",\"arguments\":{\"depth\":1000}}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().at("/error/code").asInt()).isEqualTo(-32603);
        assertThat(r.json().at("/error/message").asText()).contains("nested too deeply");
        assertPlain(r.raw().body());
        assertStillServing(c);
    }

    @Test
    void anSseStreamEndsWithTheErrorAfterProgress() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        String call = c.request("tools/call", "{\"name\":\"deep\",\"arguments\":{\"depth\":1000,\"progress\":true},"
                + "\"_meta\":{\"progressToken\":\"p\"}}");
        try (McpClient.Stream stream = c.postStreaming(call)) {
            assertThat(stream.await("notifications/progress", Duration.ofSeconds(30))).isNotNull();
            List<JsonNode> rest = stream.remaining();
            assertThat(rest).isNotEmpty();
            JsonNode last = rest.get(rest.size() - 1);
            assertThat(last.at("/error/code").asInt()).isEqualTo(-32603);
            assertThat(last.get("id").asInt()).isEqualTo(McpClient.JSON.readTree(call).get("id").asInt());
            assertPlain(last.toString());
        }
        assertStillServing(c);
    }

    @Test
    void aResumedStreamEndsWithTheError() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        String call = c.request("tools/call", "{\"name\":\"deep\",\"arguments\":{\"depth\":1000,\"progress\":true},"
                + "\"_meta\":{\"progressToken\":\"p\"}}");
        String progressId;
        try (McpClient.Stream stream = c.postStreaming(call)) {
            JsonNode progress = stream.await("notifications/progress", Duration.ofSeconds(30));
            progressId = stream.eventId(progress);
            stream.remaining();
        }
        try (McpClient.Stream resumed = c.resume(progressId)) {
            List<JsonNode> replayed = resumed.remaining();
            assertThat(replayed).isNotEmpty();
            assertThat(replayed.get(replayed.size() - 1).at("/error/code").asInt()).isEqualTo(-32603);
        }
    }

    @Test
    void aStatelessCallGetsAJsonRpcErrorWithA500() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"deep\",\"arguments\":"
                + "{\"depth\":1000},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(host.mcp).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", "tools/call").header("Mcp-Name", "deep")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(500);
        JsonNode json = McpClient.JSON.readTree(r.body());
        assertThat(json.at("/error/code").asInt()).isEqualTo(-32603);
        assertThat(json.get("id").asInt()).isEqualTo(9);
        assertPlain(r.body());
    }

    @Test
    void aResultLargerThanTheLimitIsAnErrorNamingTheLimit() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        JsonNode r = c.call("tools/call", "{\"name\":\"big\",\"arguments\":{\"size\":200000}}");
        assertThat(r.at("/error/code").asInt()).isEqualTo(-32603);
        assertThat(r.at("/error/message").asText()).contains("100000 bytes").contains("mcp.maxResultBytes");
        assertThat(c.callTool("big", "{\"size\":1000}").at("/content/0/text").asText()).hasSize(1000);
    }

    @Test
    void aCyclicResultIsAnErrorResultWithAPlainMessage() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        JsonNode result = c.callTool("cyclic", "{}");
        assertThat(result.get("isError").asBoolean()).isTrue();
        assertThat(result.at("/content/0/text").asText()).contains("cannot be written as JSON");
        assertPlain(result.toString());
        assertStillServing(c);
    }

    @Test
    void nonFiniteNumbersFollowTheOutputSchema() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        JsonNode fine = c.callTool("measure", "{\"value\":\"1.5\",\"spread\":\"NaN\"}");
        assertThat(fine.has("isError")).isFalse();
        assertThat(fine.at("/structuredContent/value").asDouble()).isEqualTo(1.5);
        assertThat(fine.get("structuredContent").has("spread")).as("an optional NaN is left out").isFalse();
        assertThat(fine.toString()).doesNotContain("NaN");

        JsonNode required = c.callTool("measure", "{\"value\":\"NaN\",\"spread\":\"1\"}");
        assertThat(required.get("isError").asBoolean()).isTrue();
        assertThat(required.at("/content/0/text").asText()).contains("'value'").contains("NaN");

        JsonNode item = c.callTool("measure", "{\"value\":\"1\",\"spread\":\"1\",\"sample\":\"-Infinity\"}");
        assertThat(item.get("isError").asBoolean()).isTrue();
        assertThat(item.at("/content/0/text").asText()).contains("'samples[1]'").contains("-Infinity");
    }

    @Test
    void aTooDeepResultOverAnSseOnlyServerStillEnds() throws Exception {
        Path other = root.resolve("sse");
        try (TestHost sse = TestHost.start(other, Map.of("http.responseMode", "sse"), "fixture-results")) {
            McpClient c = new McpClient(sse.mcp).initialize();
            McpClient.Reply r = c.post(c.request("tools/call", "{\"name\":\"deep\",\"arguments\":{\"depth\":1000}}"));
            assertThat(r.header("Content-Type")).startsWith("text/event-stream");
            assertThat(r.message().at("/error/code").asInt()).isEqualTo(-32603);
            URI health = sse.mcp.resolve("/health/live");
            assertThat(HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
        }
    }
}
