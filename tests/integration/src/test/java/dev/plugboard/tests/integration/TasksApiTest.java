package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks over the REST and GraphQL doors, over real HTTP against a real host with the conformance
 * and essentials bundles: start, poll, watch, read the result, cancel, count; every refusal a
 * typed answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TasksApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestHost host;
    private String base;
    private HttpClient http;
    private GraphqlClient graphql;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        host = TestHost.start(root, Map.of(), "plugboard-conformance", "plugboard-essentials");
        base = "http://127.0.0.1:" + host.host.port();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        graphql = new GraphqlClient(host.host.port());
        Eventually.await("the fixtures' tools", () -> host.hasTool("slow_compute") && host.hasTool("countdown"));
    }

    @AfterAll
    void stop() {
        host.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private JsonNode awaitStatus(String id, String status) {
        Eventually.await("task " + id + " to be " + status, Duration.ofSeconds(30), () -> {
            try {
                return status.equals(json(get("/api/v1/tasks/" + id)).path("status").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return json(get("/api/v1/tasks/" + id));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void problem(HttpResponse<String> r, int status, String kind) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json(r).path("type").asText()).isEqualTo("https://plugboard.dev/problems/" + kind);
        assertThat(r.body()).doesNotContain("Exception", "at dev.", "com.fasterxml", "java.lang");
    }

    @Test
    void startsATaskOverRestPollsItAndReadsItsResult() throws Exception {
        HttpResponse<String> started = post("/api/v1/tasks",
                "{\"tool\":\"slow_compute\",\"arguments\":{\"seconds\":1,\"label\":\"rest\"}}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode task = json(started);
        String id = task.path("id").asText();
        assertThat(task.path("status").asText()).isEqualTo("working");
        assertThat(task.path("tool").asText()).isEqualTo("slow_compute");
        assertThat(started.headers().firstValue("Location").orElseThrow()).endsWith("/api/v1/tasks/" + id);

        awaitStatus(id, "completed");
        HttpResponse<String> result = get("/api/v1/tasks/" + id + "/result");
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(json(result).at("/content/0/text").asText()).isEqualTo("Computed rest in 1 s");

        JsonNode list = json(get("/api/v1/tasks?status=completed&tool=slow_compute"));
        assertThat(list.path("tasks").findValuesAsText("id")).contains(id);
        assertThat(json(get("/api/v1/tasks?status=working&tool=slow_compute")).path("tasks").findValuesAsText("id"))
                .doesNotContain(id);
        JsonNode stats = json(get("/api/v1/stats"));
        assertThat(stats.at("/byStatus/completed").asLong()).isPositive();
        assertThat(stats.at("/byTool/slow_compute/ended").asLong()).isPositive();
        assertThat(stats.at("/byTool/slow_compute/maxMillis").asLong()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void streamsATasksProgressAsServerSentEventsUntilItEnds() throws Exception {
        String id = json(post("/api/v1/tasks", "{\"tool\":\"countdown\",\"arguments\":{\"seconds\":3}}"))
                .path("id").asText();
        HttpResponse<java.io.InputStream> events = http.send(HttpRequest.newBuilder(
                URI.create(base + "/api/v1/tasks/" + id + "/events")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.statusCode()).isEqualTo(200);
        List<JsonNode> seen = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    seen.add(JSON.readTree(line.substring(5).strip()));
                }
            }
        }
        assertThat(seen.getLast().path("status").asText()).isEqualTo("completed");
        assertThat(seen.stream().filter(t -> t.has("progress")).map(t -> t.at("/progress/progress").asDouble()))
                .isNotEmpty().isSorted();
        assertThat(seen.stream().filter(t -> t.has("progress")).map(t -> t.at("/progress/total").asDouble()))
                .containsOnly(3.0);
    }

    @Test
    void cancelsATaskAndKeepsItCancelled() throws Exception {
        String id = json(post("/api/v1/tasks", "{\"tool\":\"slow_compute\",\"arguments\":{\"seconds\":60,"
                + "\"label\":\"cancel\"}}")).path("id").asText();
        problem(get("/api/v1/tasks/" + id + "/result"), 409, "task-not-finished");

        HttpResponse<String> cancelled = post("/api/v1/tasks/" + id + "/cancel", "");
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json(cancelled).path("status").asText()).isEqualTo("cancelled");
        assertThat(json(post("/api/v1/tasks/" + id + "/cancel", "")).path("status").asText()).isEqualTo("cancelled");
        problem(get("/api/v1/tasks/" + id + "/result"), 409, "task-cancelled");
    }

    @Test
    void answersEveryBadTaskRequestWithAProblem() throws Exception {
        problem(post("/api/v1/tasks", "{\"tool\":\"greet\",\"arguments\":{\"name\":\"x\"}}"), 400, "invalid-request");
        problem(post("/api/v1/tasks", "{\"tool\":\"no_such_tool\"}"), 404, "not-found");
        problem(post("/api/v1/tasks", "{\"arguments\":{}}"), 400, "invalid-request");
        problem(post("/api/v1/tasks", "{\"tool\":\"countdown\",\"arguments\":[1]}"), 400, "invalid-request");
        HttpResponse<String> invalid = post("/api/v1/tasks", "{\"tool\":\"countdown\",\"arguments\":{\"seconds\":\"x\"}}");
        problem(invalid, 422, "invalid-arguments");
        assertThat(json(invalid).at("/violations/0/pointer").asText()).isEqualTo("/seconds");
        problem(get("/api/v1/tasks/no-such-task"), 404, "not-found");
        problem(get("/api/v1/tasks/no-such-task/result"), 404, "not-found");
        problem(post("/api/v1/tasks/no-such-task/cancel", ""), 404, "not-found");
        problem(get("/api/v1/tasks?status=sleeping"), 400, "invalid-request");
    }

    @Test
    void aFailedToolFailsItsTaskWithTheReason() throws Exception {
        String id = json(post("/api/v1/tasks", "{\"tool\":\"protocol_error_job\"}")).path("id").asText();
        JsonNode failed = awaitStatus(id, "failed");
        assertThat(failed.at("/error/code").asInt()).isEqualTo(-32603);
        assertThat(failed.at("/error/message").asText()).contains("fails by design");
        problem(get("/api/v1/tasks/" + id + "/result"), 502, "task-failed");
    }

    @Test
    void startsWatchesAndCancelsTasksOverGraphql() throws Exception {
        GraphqlClient.Answer started = graphql.post("mutation { startTask(tool: \"countdown\", arguments: "
                + "{seconds: 2}) { id status tool } }");
        assertThat(started.body().path("errors").isMissingNode()).as(started.body().toString()).isTrue();
        String id = started.data("/startTask/id").asText();
        assertThat(started.data("/startTask/status").asText()).isEqualTo("working");

        GraphqlClient.Socket socket = graphql.socket(Map.of());
        socket.init();
        socket.subscribe("1", "subscription { taskUpdates(id: \"" + id + "\") { id status progress total result } }");
        List<JsonNode> updates = new ArrayList<>();
        JsonNode message;
        while (!"complete".equals((message = socket.next()).path("type").asText())) {
            assertThat(message.path("type").asText()).as(message.toString()).isEqualTo("next");
            updates.add(message.at("/payload/data/taskUpdates"));
        }
        assertThat(updates.getLast().path("status").asText()).isEqualTo("completed");
        assertThat(updates.getLast().at("/result/content/0/text").asText()).isEqualTo("Liftoff after 2 s");
        assertThat(updates.stream().filter(u -> !u.path("progress").isNull()).count()).isPositive();

        String slow = graphql.post("mutation { startTask(tool: \"slow_compute\", arguments: {seconds: 60, label: "
                + "\"gql\"}) { id } }").data("/startTask/id").asText();
        assertThat(graphql.post("mutation { cancelTask(id: \"" + slow + "\") { status } }")
                .data("/cancelTask/status").asText()).isEqualTo("cancelled");
        GraphqlClient.Answer listed = graphql.post("{ tasks(status: \"cancelled\") { id } taskStats { byStatus "
                + "{ status count } byTool { tool tasks } } }");
        assertThat(listed.data("/tasks").findValuesAsText("id")).contains(slow);
        assertThat(graphql.post("{ task(id: \"" + id + "\") { status } }").data("/task/status").asText())
                .isEqualTo("completed");
        assertThat(graphql.post("mutation { startTask(tool: \"greet\") { id } }").code()).isEqualTo("BAD_USER_INPUT");
        assertThat(graphql.post("mutation { cancelTask(id: \"nope\") { id } }").code()).isEqualTo("NOT_FOUND");
    }
}
