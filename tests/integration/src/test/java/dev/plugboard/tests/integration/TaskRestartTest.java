package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart in the middle of a task, with the default in-memory task store: what a client holding
 * the task's id sees afterwards is a typed "not found", never a hang or a stale "working", and the
 * restarted server takes new tasks.
 */
class TaskRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aTaskRunningAtARestartIsUnknownAfterItAndNewTasksRun(@TempDir Path root) throws Exception {
        String id;
        try (TestHost before = TestHost.start(root, Map.of(), "plugboard-essentials")) {
            Eventually.await("the countdown tool", () -> before.hasTool("countdown"));
            HttpResponse<String> started = post(before, "/api/v1/tasks",
                    "{\"tool\":\"countdown\",\"arguments\":{\"seconds\":60}}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            id = JSON.readTree(started.body()).path("id").asText();
            assertThat(JSON.readTree(get(before, "/api/v1/tasks/" + id).body()).path("status").asText())
                    .isEqualTo("working");
        }
        try (Stream<Path> jars = Files.list(root.resolve("bundles"))) {
            for (Path jar : jars.toList()) {
                Files.delete(jar); // the same bundles are deployed again by the second start
            }
        }
        try (TestHost after = TestHost.start(root, Map.of(), "plugboard-essentials")) {
            Eventually.await("the countdown tool", () -> after.hasTool("countdown"));
            HttpResponse<String> gone = get(after, "/api/v1/tasks/" + id);
            assertThat(gone.statusCode()).as(gone.body()).isEqualTo(404);
            assertThat(gone.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
            assertThat(JSON.readTree(gone.body()).path("detail").asText()).contains("Unknown task").contains(id);
            assertThat(post(after, "/api/v1/tasks/" + id + "/cancel", "").statusCode()).isEqualTo(404);

            HttpResponse<String> fresh = post(after, "/api/v1/tasks", "{\"tool\":\"countdown\",\"arguments\":{\"seconds\":1}}");
            assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(202);
            String next = JSON.readTree(fresh.body()).path("id").asText();
            Eventually.await("the new task to complete", () -> "completed".equals(status(after, next)));
        }
    }

    private String status(TestHost host, String id) {
        try {
            JsonNode task = JSON.readTree(get(host, "/api/v1/tasks/" + id).body());
            return task.path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(TestHost host, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.host.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(TestHost host, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.host.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
