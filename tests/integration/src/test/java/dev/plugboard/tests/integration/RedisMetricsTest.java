package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.host.testsupport.RedisServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code store.redis.url} set, {@code /metrics} has Lettuce's command latencies of the real
 * commands the node sent a real {@code redis-server}, the look-ups of the cache of results (tools and
 * resources, kept in Redis), and a gauge of the connection that drops to 0 when Redis goes away.
 */
class RedisMetricsTest {

    private static final String COMPLETION = "lettuce_command_completion_seconds_count";

    @TempDir
    Path root;

    @Test
    void commandLatenciesAndTheConnectionAreScraped() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TestHost host = TestHost.start(root, Map.of("store.redis.url", redis.url()), "fixture-hello-v1")) {
            int port = host.host.port();
            McpClient mcp = new McpClient(host.mcp).initialize(); // the session is written to Redis
            mcp.callTool("hello", "{\"name\":\"Redis\"}");

            Eventually.await("the session's commands to be timed",
                    () -> total(scrape(port).find(COMPLETION, Map.of())) > 0);
            Scrape scrape = Scrape.of(port);
            List<Scrape.Sample> commands = scrape.find(COMPLETION, Map.of());
            assertThat(commands).allSatisfy(s -> {
                assertThat(s.labels()).containsKeys("command", "remote");
                assertThat(s.labels().get("remote")).endsWith(":" + redis.port());
            });
            assertThat(commands).extracting(s -> s.labels().get("command")).doesNotContainNull();
            assertThat(total(scrape.find("lettuce_command_firstresponse_seconds_count", Map.of()))).isPositive();
            assertThat(scrape.value("plugboard_redis_connected", Map.of())).isEqualTo(1);
            for (String cache : List.of("tool", "resource")) {
                for (String result : List.of("hit", "miss")) {
                    assertThat(scrape.value("plugboard_result_cache_total", Map.of("cache", cache, "result", result)))
                            .as("the %s cache's %s count", cache, result).isZero(); // hello caches nothing
                }
            }

            redis.kill();
            Eventually.await("the connection gauge to drop",
                    () -> scrape(port).value("plugboard_redis_connected", Map.of()) == 0);
        }
    }

    private static Scrape scrape(int port) {
        try {
            return Scrape.of(port);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double total(List<Scrape.Sample> samples) {
        return samples.stream().mapToDouble(Scrape.Sample::value).sum();
    }
}
