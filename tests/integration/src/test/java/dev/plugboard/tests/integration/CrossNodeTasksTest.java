package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.task.TaskRecord;
import dev.plugboard.host.testsupport.RedisServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks across two real hosts sharing one real {@code redis-server}: a task started on node A is
 * listed, watched, awaited and read on node B, and cancelling it on node B stops its call on node A.
 */
class CrossNodeTasksTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path root;

    private static HttpResponse<String> get(TestHost node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.host.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(TestHost node, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.host.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return McpClient.JSON.readTree(r.body());
    }

    @Test
    void aTaskStartedOnOneNodeIsSeenWatchedReadAndCancelledOnAnother() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TestHost a = TestHost.start(root.resolve("a"), Map.of("store.redis.url", redis.url()),
                        "plugboard-conformance", "plugboard-essentials");
                TestHost b = TestHost.start(root.resolve("b"), Map.of("store.redis.url", redis.url()))) {
            Eventually.await("the fixtures' tools on node A", () -> a.hasTool("slow_compute") && a.hasTool("countdown"));

            // watched and read on B while it runs on A
            HttpResponse<String> started = post(a, "/api/v1/tasks", "{\"tool\":\"countdown\",\"arguments\":{\"seconds\":2}}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String id = json(started).path("id").asText();
            HttpResponse<String> seen = get(b, "/api/v1/tasks/" + id);
            assertThat(seen.statusCode()).as(seen.body()).isEqualTo(200);
            assertThat(json(seen).path("tool").asText()).isEqualTo("countdown");
            assertThat(json(get(b, "/api/v1/tasks?tool=countdown")).path("tasks").findValuesAsText("id")).contains(id);
            CompletableFuture<TaskRecord> ended = b.host.engine().tasks().whenEnded(Operations.doorCaller(), id);
            HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + b.host.port() + "/api/v1/tasks/" + id + "/events")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(events.statusCode()).isEqualTo(200);
            List<JsonNode> watched = new ArrayList<>();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("data:")) {
                            watched.add(McpClient.JSON.readTree(line.substring(5).strip()));
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            reading.get(60, TimeUnit.SECONDS);
            assertThat(watched.getLast().path("status").asText()).as("node B's watchers hear node A's progress to"
                    + " the end").isEqualTo("completed");
            assertThat(watched.stream().filter(t -> t.has("progress"))).isNotEmpty();
            assertThat(ended.get(60, TimeUnit.SECONDS).status().wire()).isEqualTo("completed");
            HttpResponse<String> result = get(b, "/api/v1/tasks/" + id + "/result");
            assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
            assertThat(json(result).path("content").isArray()).isTrue();

            // cancelled on B, stopped on A
            String slow = json(post(a, "/api/v1/tasks", "{\"tool\":\"slow_compute\",\"arguments\":{\"seconds\":600,"
                    + "\"label\":\"far\"}}")).path("id").asText();
            assertThat(a.host.engine().tasks().runningIds()).contains(slow);
            HttpResponse<String> cancelled = post(b, "/api/v1/tasks/" + slow + "/cancel", "");
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            assertThat(json(cancelled).path("status").asText()).isEqualTo("cancelled");
            Eventually.await("node A to stop the call cancelled on node B",
                    () -> !a.host.engine().tasks().runningIds().contains(slow));
            assertThat(json(get(a, "/api/v1/tasks/" + slow)).path("status").asText()).isEqualTo("cancelled");
            assertThat(json(get(a, "/api/v1/tasks/" + slow + "/result")).path("type").asText())
                    .endsWith("task-cancelled");
        }
    }
}
