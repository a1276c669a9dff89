package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.testsupport.RedisExtension;
import dev.plugboard.router.testing.FakeOpenAi;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model router on two real hosts sharing one real {@code redis-server}, in front of the fake
 * OpenAI-compatible server: one budget for both nodes under concurrent load, an answer cached on one
 * node served by the other to the same caller only, and a conversation continued on the other node.
 */
class SharedRouterTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** A token costs one dollar, so the figures below are token counts. */
    private static final String MODELS = """
            "models": {"small": {"provider": "fake", "model": "tiny-1", "inputPerMillion": 1000000,
                                 "outputPerMillion": 1000000}},
            "tiers": {"L0": {"models": ["small"]}}""";
    private static final double LIMIT = 100;
    /** What each budget test request reserves: 8 prompt tokens (as estimated) and its 9 most output tokens. */
    private static final double RESERVATION = 17;

    @TempDir
    Path root;
    @RegisterExtension
    final RedisExtension redis = new RedisExtension();
    private FakeOpenAi fake;

    @BeforeEach
    void start() throws Exception {
        fake = redis.closeAfter(new FakeOpenAi());
    }

    private TestHost node(String name, String routerJson, Path keyFile) throws Exception {
        Path home = root.resolve(name);
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/router.json"), routerJson);
        if (keyFile != null) {
            Files.createDirectories(home.resolve("data"));
            Files.copy(keyFile, home.resolve("data").resolve(keyFile.getFileName()));
        }
        TestHost host = TestHost.start(home, Map.of("store.redis.url", redis.url()), "plugboard-router");
        redis.closeAfter(host);
        Eventually.await("the router serving on node " + name, () -> {
            try {
                return McpClient.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + host.host.port() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).body())
                        .path("plugins").path("router").path("state").asText().equals("serving");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return host;
    }

    private String config(String more) {
        return "{\"providers\": {\"fake\": {\"baseUrl\": \"" + fake.baseUrl() + "\", \"apiKey\": \"sk-local\"}},"
                + MODELS + more + "}";
    }

    private static HttpResponse<String> complete(TestHost node, String key, String body) throws Exception {
        return HTTP.send(request(node, key, "/v1/chat/completions", body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(TestHost node, String key, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.host.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b.build();
    }

    private static String ask(String question) {
        return "{\"model\":\"L0\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    }

    @Test
    void concurrentCallersOnTwoNodesSpendOneBudgetOverspendingAtMostOneReservation() throws Exception {
        String json = config(", \"cache\": {\"enabled\": false},"
                + " \"budgets\": [{\"name\": \"daily\", \"period\": \"day\", \"limitUsd\": " + LIMIT + "}]");
        TestHost a = node("a", json, null);
        TestHost b = node("b", json, null);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            answers.add(HTTP.sendAsync(request(i % 2 == 0 ? a : b, null, "/v1/chat/completions",
                    ask("question " + (10 + i))), HttpResponse.BodyHandlers.ofString()));
        }
        double spent = 0;
        int answered = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            JsonNode body = McpClient.JSON.readTree(r.body());
            if (r.statusCode() == 200) {
                answered++;
                spent += body.path("usage").path("cost").asDouble();
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(body.path("error").path("code").asText()).isEqualTo("budget_exceeded");
                refused++;
            }
        }
        // each request costs 14 USD (the 11 prompt and 3 answer tokens the fake reports)
        assertThat(answered + refused).isEqualTo(32);
        assertThat(refused).as("the budget stopped the load").isPositive();
        assertThat(spent).as("one budget for both nodes, overspent by at most one reservation")
                .isLessThanOrEqualTo(LIMIT + RESERVATION);
        assertThat(answered).as("as many requests as fit while all hold reservations at once")
                .isGreaterThanOrEqualTo((int) (LIMIT / RESERVATION));
        assertThat(fake.requests("tiny-1")).hasSize(answered);

        // settling gave back what the reservations held over the cost: one request after another, on
        // alternate nodes, fills the budget until the next reservation no longer fits
        int refusedAt = -1;
        for (int i = 0; i < 10 && refusedAt < 0; i++) {
            HttpResponse<String> r = complete(i % 2 == 0 ? a : b, null, ask("question " + (50 + i)));
            if (r.statusCode() == 200) {
                spent += McpClient.JSON.readTree(r.body()).path("usage").path("cost").asDouble();
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                refusedAt = i;
            }
        }
        assertThat(refusedAt).as("a request refused within 10 more").isNotNegative();
        assertThat(spent).as("refused only when the next reservation would pass the limit")
                .isGreaterThan(LIMIT - RESERVATION).isLessThanOrEqualTo(LIMIT + RESERVATION);
    }

    @Test
    void anAnswerCachedOnOneNodeIsServedByTheOtherToTheSameCallerOnly() throws Exception {
        String json = config("");
        TestHost a = node("a", json, null);
        String alice = a.host.security().keys().add("alice", List.of("user"), List.of(), null).secret();
        TestHost b = node("b", json, a.host.security().keys().file());
        int before = fake.requests("tiny-1").size();

        HttpResponse<String> first = complete(a, null, ask("what is the answer"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(McpClient.JSON.readTree(first.body()).path("plugboard").path("cache").asText()).isEqualTo("miss");
        assertThat(fake.requests("tiny-1")).hasSize(before + 1);

        HttpResponse<String> again = complete(b, null, ask("what is the answer"));
        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode hit = McpClient.JSON.readTree(again.body());
        assertThat(hit.path("plugboard").path("cache").asText()).as("the same caller on node B").isEqualTo("hit");
        assertThat(hit.path("choices").get(0).path("message").path("content").asText()).isEqualTo("answer from tiny-1");
        assertThat(fake.requests("tiny-1")).hasSize(before + 1);

        HttpResponse<String> other = complete(b, alice, ask("what is the answer"));
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(McpClient.JSON.readTree(other.body()).path("plugboard").path("cache").asText())
                .as("another caller on node B").isEqualTo("miss");
        assertThat(fake.requests("tiny-1")).hasSize(before + 2);

        // a conversation started on node A continues on node B from the shared hot tier
        HttpResponse<String> chat = HTTP.send(request(a, null, "/v1/chat",
                "{\"message\":\"hello\",\"conversationId\":\"shared-1\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(chat.statusCode()).isEqualTo(200);
        JsonNode context = McpClient.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + b.host.port() + "/v1/context/shared-1")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(context.path("messages")).hasSize(2);
    }
}
