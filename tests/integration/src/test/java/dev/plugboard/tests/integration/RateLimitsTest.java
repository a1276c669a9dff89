package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits of the security layer in a real host under 64 concurrent callers: the requests of one
 * credential per interval at the door (MCP and REST), and the concurrent calls of one tool. Counts are
 * asserted, never times.
 */
class RateLimitsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path root;

    private TestHost start(String securityJson) throws Exception {
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/security.json"), securityJson);
        return TestHost.start(root, Map.of(), "plugboard-essentials", "fixture-hello-v1");
    }

    @Test
    void aCredentialGetsExactlyItsRequestsPerIntervalAmong64Callers() throws Exception {
        try (TestHost host = start("{\"rateLimits\": {\"perCredential\": {\"requests\": 10, \"intervalSeconds\": 3600}}}")) {
            String rest = "Bearer " + host.host.security().keys().add("rest", List.of("user"), List.of(), null).secret();
            List<HttpResponse<String>> answers = race(64, () -> HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + host.host.port() + "/api/v1/tools")).header("Authorization", rest)
                    .GET().build());
            assertThat(answers).filteredOn(r -> r.statusCode() == 200).hasSize(10);
            List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
            assertThat(refused).hasSize(54).allSatisfy(r -> {
                assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
                assertThat(r.body()).contains("https://plugboard.dev/problems/rate-limited");
            });

            String mcp = "Bearer " + host.host.security().keys().add("mcp", List.of("user"), List.of(), null).secret();
            String list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"_meta\":{"
                    + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                    + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
            List<HttpResponse<String>> mcpAnswers = race(64, () -> HttpRequest.newBuilder(host.mcp)
                    .header("Authorization", mcp).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").header("MCP-Protocol-Version", "2026-07-28")
                    .header("Mcp-Method", "tools/list").POST(HttpRequest.BodyPublishers.ofString(list)).build());
            assertThat(mcpAnswers).filteredOn(r -> r.statusCode() == 200).hasSize(10);
            List<HttpResponse<String>> mcpRefused = mcpAnswers.stream().filter(r -> r.statusCode() == 429).toList();
            assertThat(mcpRefused).hasSize(54).allSatisfy(r -> {
                JsonNode error = McpClient.JSON.readTree(r.body()).get("error");
                assertThat(error.get("code").asInt()).isEqualTo(-32029);
                assertThat(error.at("/data/retryAfterSeconds").asLong()).isPositive();
            });
            // the local user (no credential) is a credential of its own: untouched by the others' counts
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.host.port()
                    + "/api/v1/tools")).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aToolAdmitsOnlyItsConcurrentCallsAmong64Callers() throws Exception {
        try (TestHost host = start("{\"rateLimits\": {\"tools\": {\"slow\": {\"concurrent\": 2}}}}")) {
            String key = "Bearer " + host.host.security().keys().add("caller", List.of("user"), List.of(), null)
                    .secret();
            URI call = URI.create("http://127.0.0.1:" + host.host.port() + "/api/v1/tools/slow/call");
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            CountDownLatch answered = new CountDownLatch(62);
            for (int i = 0; i < 64; i++) {
                CompletableFuture<HttpResponse<String>> f = HTTP.sendAsync(HttpRequest.newBuilder(call)
                        .header("Authorization", key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"millis\":60000}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                f.thenRun(answered::countDown);
                calls.add(f);
            }
            // Two calls hold the tool's slots for a minute; the other 62 are answered at once.
            assertThat(answered.await(50, TimeUnit.SECONDS)).isTrue();
            List<HttpResponse<String>> done = calls.stream().filter(CompletableFuture::isDone)
                    .map(CompletableFuture::join).toList();
            assertThat(done).hasSize(62).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.body()).contains("rate-limited").contains("concurrent calls of 'slow'");
            });
            // MCP: the same refusal as a JSON-RPC error with retry data
            McpClient mcp = new McpClient(host.mcp);
            mcp.authorization = key;
            mcp.initialize();
            JsonNode refused = mcp.call("tools/call", "{\"name\":\"slow\",\"arguments\":{\"millis\":10}}");
            assertThat(refused.at("/error/code").asInt()).isEqualTo(-32029);
            assertThat(refused.at("/error/data/retryAfterSeconds").asLong()).isPositive();
            // another tool is not limited
            assertThat(mcp.callTool("calculate", "{\"expression\":\"1+2\"}").at("/structuredContent/result").asInt())
                    .isEqualTo(3);
        }
    }

    private static List<HttpResponse<String>> race(int callers, java.util.function.Supplier<HttpRequest> request)
            throws Exception {
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            futures.add(HTTP.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> out = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }
}
