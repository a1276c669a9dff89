package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's circuit breakers in {@code /metrics}: when a real upstream ({@code server-everything}
 * over stdio) times out until its breaker opens, the scrape says so in the metric the shipped
 * breaker alert queries, a tool's own breaker is a series of its own, and the series go when the
 * upstream leaves the servers file.
 */
class ProxyBreakerMetricsTest {

    private static final Duration NOTICE = Duration.ofSeconds(60);
    private static final String STATE = "resilience4j_circuitbreaker_state";

    @TempDir
    Path root;

    private void writeServers(String content) throws IOException {
        Path config = Files.createDirectories(root.resolve("config"));
        Path temp = config.resolve("mcp-servers.json.tmp");
        Files.writeString(temp, content);
        Files.move(temp, config.resolve("mcp-servers.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static double state(Scrape scrape, String breaker, String state) {
        return scrape.value(STATE, Map.of("name", breaker, "state", state));
    }

    @Test
    void anOpenedBreakerShowsInTheMetricTheBreakerAlertQueriesAndLeavesWithItsUpstream() throws Exception {
        Path modules = Path.of(System.getProperty("plugboard.test.npm", "../e2e/node_modules")).toAbsolutePath();
        Path node = modules.resolve("node/bin/node");
        Path everything = modules.resolve("@modelcontextprotocol/server-everything/dist/index.js");
        assertThat(node).as("node of tests/e2e (run 'npm ci' there)").isExecutable();
        assertThat(everything).as("server-everything of tests/e2e").isRegularFile();
        writeServers("{\"mcpServers\": {\"everything\": {\"command\": \"" + node + "\", \"args\": [\"" + everything
                + "\", \"stdio\"], \"callTimeoutSeconds\": 0.5, \"retry\": {\"maxAttempts\": 1},"
                + " \"breaker\": {\"minimumCalls\": 2, \"windowSize\": 2, \"openSeconds\": 600},"
                + " \"tools\": {\"echo\": {\"breaker\": {\"minimumCalls\": 5, \"windowSize\": 5}}}}}}");
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-proxy")) {
            Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("everything__echo"));
            McpClient client = new McpClient(host.mcp).initialize();
            assertThat(client.callTool("everything__echo", "{\"message\":\"x\"}").at("/content/0/text").asText())
                    .isEqualTo("Echo: x");

            Scrape closed = Scrape.of(host.host.port());
            assertThat(state(closed, "everything", "closed")).isEqualTo(1.0);
            assertThat(state(closed, "everything", "open")).isEqualTo(0.0);
            assertThat(state(closed, "everything/echo", "closed")).as("a tool's own breaker, once called").isEqualTo(1.0);

            // the window of two calls: the echo above and this timeout, half failed, which opens it
            assertThat(client.callTool("everything__trigger-long-running-operation",
                    "{\"duration\": 30, \"steps\": 2}").at("/content/0/text").asText())
                    .isEqualTo("Upstream 'everything' did not answer within 500 ms");
            assertThat(client.callTool("everything__echo", "{\"message\":\"y\"}").at("/content/0/text").asText())
                    .startsWith("Upstream 'everything' is unavailable: its circuit breaker is open");

            Scrape open = Scrape.of(host.host.port());
            assertThat(state(open, "everything", "open")).isEqualTo(1.0);
            assertThat(state(open, "everything", "closed")).isEqualTo(0.0);
            assertThat(open.value("resilience4j_circuitbreaker_calls_seconds_count",
                    Map.of("name", "everything", "kind", "failed"))).isEqualTo(1.0);
            assertThat(open.value("resilience4j_circuitbreaker_calls_seconds_count",
                    Map.of("name", "everything", "kind", "successful"))).isEqualTo(1.0);
            assertThat(open.value("resilience4j_circuitbreaker_not_permitted_calls_total",
                    Map.of("name", "everything"))).isEqualTo(1.0);
            assertThat(state(open, "everything/echo", "closed")).as("the tool's own breaker saw no failure")
                    .isEqualTo(1.0);

            Set<String> alerted = new TreeSet<>();
            for (String query : MonitoringFilesTest.ruleQueries()) {
                if (query.contains("resilience4j")) {
                    alerted.addAll(MonitoringFilesTest.metricNames(query));
                }
            }
            assertThat(alerted).as("the breaker alert's metrics").contains(STATE);
            assertThat(open.names()).containsAll(alerted);

            writeServers("{\"mcpServers\": {}}");
            Eventually.await("the upstream's breakers to leave /metrics", NOTICE, () -> {
                try {
                    return Scrape.of(host.host.port()).find(STATE, Map.of()).isEmpty();
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(Scrape.of(host.host.port()).find("resilience4j_circuitbreaker_calls_seconds_count", Map.of()))
                    .isEqualTo(List.of());
        }
    }
}
