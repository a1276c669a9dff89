package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task whose bundle is removed while it runs ends failed, saying why; and the per-caller limit on
 * unfinished tasks turns the next one away while it runs.
 */
class TaskBundleRemovalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTaskWhoseBundleIsRemovedEndsFailedWithTheReason(@TempDir Path root) throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("deploy.pollMillis", "100", "tasks.maxPerCaller", "1"),
                "plugboard-essentials")) {
            Eventually.await("the countdown tool", () -> host.hasTool("countdown"));
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + host.host.port() + "/api/v1/tasks";
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tool\":\"countdown\",\"arguments\":{\"seconds\":60}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String id = JSON.readTree(started.body()).path("id").asText();
            Eventually.await("the countdown to make progress", Duration.ofSeconds(30),
                    () -> task(http, base, id).has("progress"));

            HttpResponse<String> second = http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tool\":\"countdown\",\"arguments\":{\"seconds\":1}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
            assertThat(JSON.readTree(second.body()).path("type").asText())
                    .isEqualTo("https://plugboard.dev/problems/too-many-tasks");

            host.undeploy("plugboard-essentials.jar");

            Eventually.await("the task to fail", Duration.ofSeconds(60),
                    () -> "failed".equals(task(http, base, id).path("status").asText()));
            JsonNode failed = task(http, base, id);
            assertThat(failed.at("/error/message").asText()).containsIgnoringCase("countdown")
                    .doesNotContain("Exception");
        }
    }

    private static JsonNode task(HttpClient http, String base, String id) {
        try {
            return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
