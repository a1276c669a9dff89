package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.health.PartStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} and {@code GET /health} of a real host: scraped over HTTP, checked by
 * Prometheus' parser, with counters that move after real calls through every HTTP door.
 */
class ObservabilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUESTS = "plugboard_requests_seconds_count";

    @TempDir
    Path root;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void requestsAreCountedByDoorMethodToolOutcomeAndRevision() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "fixture-hello-v1")) {
            int port = host.host.port();
            McpClient mcp = new McpClient(host.mcp).initialize();
            for (int i = 0; i < 3; i++) {
                mcp.callTool("hello", "{\"name\":\"Ann\"}");
            }
            mcp.call("tools/list", null);
            HttpResponse<String> rest = post(port, "/api/v1/tools/hello/call", "{\"name\":\"Rest\"}");
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
            GraphqlClient.Answer graphql = new GraphqlClient(port).post("mutation($a: JSON) { callTool(name: \"hello\","
                    + " arguments: $a) { isError } }", Map.of("a", Map.of("name", "Gql")), null);
            assertThat(graphql.data("/callTool/isError").asBoolean()).as(graphql.body().toString()).isFalse();
            // A tool error and a client error through MCP.
            assertThat(mcp.call("tools/call", "{\"name\":\"hello\",\"arguments\":{\"name\":7}}").has("error")).isTrue();

            Scrape scrape = Scrape.of(port);
            assertThat(scrape.value(REQUESTS, Map.of("door", "mcp", "method", "tools/call", "tool", "hello",
                    "outcome", "ok", "revision", "2025-11-25"))).isEqualTo(3);
            assertThat(scrape.value(REQUESTS, Map.of("door", "mcp", "method", "tools/list", "tool", "none",
                    "outcome", "ok", "revision", "2025-11-25"))).isEqualTo(1);
            assertThat(scrape.value(REQUESTS, Map.of("door", "mcp", "method", "tools/call", "tool", "hello",
                    "outcome", "client_error"))).isEqualTo(1);
            assertThat(scrape.value(REQUESTS, Map.of("door", "rest", "method", "tools/call", "tool", "hello",
                    "outcome", "ok", "revision", "2026-07-28"))).isEqualTo(1);
            assertThat(scrape.value(REQUESTS, Map.of("door", "graphql", "method", "tools/call", "tool", "hello",
                    "outcome", "ok", "revision", "2026-07-28"))).isEqualTo(1);
            // The histogram: every call is under the +Inf bucket, and the buckets are cumulative.
            assertThat(scrape.value("plugboard_requests_seconds_bucket", Map.of("door", "mcp", "tool", "hello",
                    "outcome", "ok", "le", "+Inf"))).isEqualTo(3);
            assertThat(scrape.value("plugboard_requests_in_flight", Map.of())).isZero();
            assertThat(scrape.value("plugboard_sessions", Map.of())).isEqualTo(1);
            assertThat(scrape.value("plugboard_catalog_tools", Map.of())).isGreaterThanOrEqualTo(2);
            assertThat(scrape.value("plugboard_bundles", Map.of("state", "ACTIVE"))).isEqualTo(1);
            assertThat(scrape.value("plugboard_health_up", Map.of("part", "framework"))).isEqualTo(1);
            assertThat(scrape.names()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads",
                    "process_cpu_usage", "process_uptime_seconds", "plugboard_embedding_cache_total",
                    "plugboard_search_index_lag", "plugboard_sse_streams");

            McpClient.Stream stream = mcp.openStream();
            try {
                Eventually.await("the GET stream to be counted", () -> sse(port) >= 1);
            } finally {
                stream.close();
            }
        }
    }

    @Test
    void unknownToolNamesShareOneTagValue() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "fixture-hello-v1")) {
            int port = host.host.port();
            McpClient mcp = new McpClient(host.mcp).initialize();
            for (int i = 0; i < 1000; i++) {
                JsonNode answer = mcp.call("tools/call", "{\"name\":\"no-such-tool-" + i + "\",\"arguments\":{}}");
                assertThat(answer.has("error")).isTrue();
            }
            mcp.callTool("hello", "{\"name\":\"Ann\"}");
            Scrape scrape = Scrape.of(port);
            Set<String> tools = scrape.find(REQUESTS, Map.of()).stream().map(s -> s.labels().get("tool"))
                    .collect(Collectors.toSet());
            assertThat(tools).containsExactlyInAnyOrder("hello", "_unknown");
            assertThat(scrape.value(REQUESTS, Map.of("tool", "_unknown", "outcome", "client_error"))).isEqualTo(1000);
            assertThat(scrape.text).doesNotContain("no-such-tool");
        }
    }

    @Test
    void pluginsBindMetersThatLeaveWithThem() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "fixture-meters")) {
            int port = host.host.port();
            McpClient mcp = new McpClient(host.mcp).initialize();
            mcp.callTool("count_me", "{}");
            mcp.callTool("count_me", "{}");
            assertThat(Scrape.of(port).value("fixture_meters_calls_total", Map.of())).isEqualTo(2);

            host.undeploy("fixture-meters.jar");
            Eventually.await("the plugin to be gone", () -> !host.hasTool("count_me"));
            Eventually.await("its meter to be gone", () -> !scrape(port).names().contains("fixture_meters_calls_total"));
        }
    }

    @Test
    void theTraceContextOfEveryHttpDoorReachesTheTool() throws Exception {
        String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        try (TestHost host = TestHost.start(root, Map.of(), "fixture-meters")) {
            int port = host.host.port();
            McpClient mcp = new McpClient(host.mcp).initialize();
            McpClient.Reply viaMcp = mcp.post(mcp.request("tools/call", "{\"name\":\"trace_of_call\",\"arguments\":{}}"),
                    Map.of("traceparent", parent));
            assertThat(viaMcp.message().at("/result/content/0/text").asText()).isEqualTo(parent);
            assertThat(mcp.callTool("trace_of_call", "{}").at("/content/0/text").asText()).isEqualTo("none");
            String inMeta = "00-11111111111111111111111111111111-2222222222222222-01";
            assertThat(mcp.call("tools/call", "{\"name\":\"trace_of_call\",\"arguments\":{},\"_meta\":{\"traceparent\":\""
                    + inMeta + "\"}}").at("/result/content/0/text").asText()).isEqualTo(inMeta);

            HttpResponse<String> rest = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/tools/trace_of_call/call")).header("Content-Type", "application/json")
                    .header("traceparent", parent).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(rest.body()).at("/content/0/text").asText()).as(rest.body()).isEqualTo(parent);

            GraphqlClient.Answer graphql = new GraphqlClient(port).send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/graphql")).header("Content-Type", "application/json")
                    .header("Accept", "application/json").header("traceparent", parent),
                    "{\"query\":\"mutation { callTool(name: \\\"trace_of_call\\\") { content } }\"}", null);
            assertThat(graphql.data("/callTool/content/0/text").asText()).as(graphql.body().toString())
                    .isEqualTo(parent);
        }
    }

    @Test
    void deploymentsAndBundleStatesAreMeasured() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of())) {
            int port = host.host.port();
            Scrape before = Scrape.of(port);
            assertThat(before.value("plugboard_deploy_events_total", Map.of("action", "started"))).isZero();

            host.deploy("fixture-hello-v1", "hello.jar");
            Eventually.await("the fixture to be active", () -> host.hasTool("hello"));
            Eventually.await("its start to be counted", () -> scrape(port).value("plugboard_deploy_events_total",
                    Map.of("action", "started")) == 1);
            Scrape after = Scrape.of(port);
            assertThat(after.value("plugboard_deploy_events_total", Map.of("action", "installed"))).isEqualTo(1);
            assertThat(after.value("plugboard_deploy_duration_seconds_count", Map.of("outcome", "started")))
                    .isEqualTo(1);
            assertThat(after.value("plugboard_deploy_duration_seconds_sum", Map.of("outcome", "started")))
                    .isPositive();
            assertThat(after.value("plugboard_bundles", Map.of("state", "ACTIVE"))).isEqualTo(1);

            host.deploy("fixture-failing-activator", "failing.jar");
            Eventually.await("the failure to be counted", () -> scrape(port).value("plugboard_bundles",
                    Map.of("state", "FAILED")) == 1);
            assertThat(scrape(port).value("plugboard_deploy_events_total", Map.of("action", "failed"))).isEqualTo(1);
            JsonNode health = JSON.readTree(get(port, "/health").body());
            assertThat(health.at("/parts/bundles/status").asText()).isEqualTo("DEGRADED");
            assertThat(health.at("/status").asText()).isEqualTo("DEGRADED");
        }
    }

    @Test
    void healthListsEveryPartAndTakesNewOnes() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "fixture-hello-v1")) {
            int port = host.host.port();
            HttpResponse<String> ok = get(port, "/health");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            JsonNode body = JSON.readTree(ok.body());
            assertThat(body.get("status").asText()).isEqualTo("UP");
            assertThat(body.get("parts").fieldNames()).toIterable()
                    .containsExactly("framework", "bundles", "calls", "search", "plugins", "graphql");
            assertThat(body.at("/parts/framework/status").asText()).isEqualTo("UP");
            assertThat(body.at("/parts/graphql/status").asText()).isEqualTo("UP");
            assertThat(body.at("/parts/bundles/bundles/0/symbolicName").asText()).isEqualTo("dev.plugboard.fixtures.hello");
            assertThat(body.at("/parts/search/deployed").asBoolean()).isFalse();

            // The probes are unchanged.
            assertThat(get(port, "/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);

            // A part added later (as the Redis store adds its own) is listed, and down makes the server down.
            boolean[] redisUp = {true};
            AutoCloseable redis = host.host.healthParts().add("redis", () -> redisUp[0]
                    ? PartStatus.up(Map.of("url", "redis://127.0.0.1:6379"))
                    : PartStatus.down("connection refused", Map.of()));
            assertThat(JSON.readTree(get(port, "/health").body()).at("/parts/redis/status").asText()).isEqualTo("UP");
            assertThat(Scrape.of(port).value("plugboard_health_up", Map.of("part", "redis"))).isEqualTo(1);
            redisUp[0] = false;
            HttpResponse<String> down = get(port, "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            JsonNode downBody = JSON.readTree(down.body());
            assertThat(downBody.at("/status").asText()).isEqualTo("DOWN");
            assertThat(downBody.at("/parts/redis/reason").asText()).isEqualTo("connection refused");
            assertThat(Scrape.of(port).value("plugboard_health_up", Map.of("part", "redis"))).isZero();
            redis.close();
            assertThat(get(port, "/health").statusCode()).isEqualTo(200);

            // The same guards as every path, and only GET.
            HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).isEqualTo(403);
            HttpResponse<String> wrongMethod = post(port, "/metrics", "{}");
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.body()).contains("\"status\":405");
            assertThat(post(port, "/health", "{}").statusCode()).isEqualTo(405);
        }
    }

    private double sse(int port) {
        return scrape(port).value("plugboard_sse_streams", Map.of());
    }

    private static Scrape scrape(int port) {
        try {
            return Scrape.of(port);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
