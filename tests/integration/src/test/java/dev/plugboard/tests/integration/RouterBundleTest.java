package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.router.testing.FakeOpenAi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model router bundle in a real host (Felix, SCR, HTTP on loopback) in front of the fake
 * OpenAI-compatible server: off (no tools) until {@code config/router.json} exists, then its MCP tools answer
 * through the configured tiers, edits apply live, its meters reach {@code /metrics}, and its state
 * shows in {@code /health/ready}.
 */
class RouterBundleTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path root;
    TestHost host;
    FakeOpenAi fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAi();
        host = TestHost.start(root, Map.of(), "plugboard-router");
        Eventually.await("the router's health report", () -> !state().isEmpty());
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        fake.close();
    }

    private void writeConfig(String tiers) throws IOException {
        Path config = Files.createDirectories(root.resolve("config"));
        Path temp = config.resolve("router.json.tmp");
        Files.writeString(temp, """
                {"providers": {"fake": {"baseUrl": "%s", "apiKey": "${file:router.key}"}},
                 "models": {"small": {"provider": "fake", "model": "tiny-1", "inputPerMillion": 1, "outputPerMillion": 2},
                            "big": {"provider": "fake", "inputPerMillion": 10, "outputPerMillion": 20}},
                 "tiers": %s,
                 "rules": [{"name": "critical", "when": {"qualityLevel": "critical"}, "tier": "L2"}]}
                """.formatted(fake.baseUrl(), tiers));
        Files.writeString(config.resolve("router.key"), "sk-local\n");
        Files.move(temp, config.resolve("router.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private JsonNode health() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(host.fullReadiness(), HttpResponse.BodyHandlers.ofString());
        return McpClient.JSON.readTree(r.body()).path("plugins").path("router");
    }

    private String state() {
        try {
            return health().path("state").asText();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void offUntilConfiguredThenAnsweringThroughTiersAndFollowingEdits() throws Exception {
        McpClient client = new McpClient(host.mcp).initialize();
        assertThat(state()).isEqualTo("off");
        assertThat(host.hasTool("chat") || host.hasTool("route") || host.hasTool("ask")).isFalse();

        writeConfig("{\"L0\": {\"models\": [\"small\"]}, \"L2\": {\"models\": [\"big\"]}}");
        Eventually.await("the router serving", () -> state().equals("serving"));
        Eventually.await("the router's tools", () -> host.hasTool("chat") && host.hasTool("route") && host.hasTool("ask"));
        JsonNode chat = client.callTool("chat", "{\"message\":\"hello\",\"conversationId\":\"conv-1\"}");
        assertThat(chat.path("isError").asBoolean(false)).isFalse();
        JsonNode reply = chat.path("structuredContent");
        assertThat(reply.path("reply").asText()).isEqualTo("answer from tiny-1");
        assertThat(reply.path("tier").asText()).isEqualTo("L0");
        assertThat(reply.path("model").asText()).isEqualTo("small");
        assertThat(reply.path("reason").asText()).contains("default tier L0");
        assertThat(reply.path("costUsd").asDouble()).isPositive();

        JsonNode critical = client.callTool("route", "{\"message\":\"x\",\"qualityLevel\":\"CRITICAL\"}");
        assertThat(critical.path("structuredContent").path("tier").asText()).isEqualTo("L2");
        assertThat(critical.path("structuredContent").path("policy").asText()).isEqualTo("rule");

        // the second turn of the conversation carries the first
        client.callTool("chat", "{\"message\":\"again\",\"conversationId\":\"conv-1\"}");
        assertThat(fake.requests("tiny-1").get(1).path("messages")).hasSize(3);

        Scrape metrics = Scrape.of(host.host.port());
        assertThat(metrics.value("router_requests_total", Map.of("tier", "L0", "model", "small", "outcome", "ok")))
                .isEqualTo(2);
        assertThat(metrics.valueOrZero("router_cost_usd_total", Map.of("tier", "L0", "model", "small"))).isPositive();

        // an edit applies live: the default tier is now the big model's
        writeConfig("{\"L2\": {\"models\": [\"big\"]}}");
        Eventually.await("the edited tiers", () -> {
            try {
                return health().path("tiers").toString().equals("[\"L2\"]");
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        JsonNode after = client.callTool("ask", "{\"question\":\"hi\"}");
        assertThat(after.path("content").get(0).path("text").asText()).isEqualTo("answer from big");

        // a file that is not JSON keeps the running router and is reported
        Files.writeString(root.resolve("config/router.json"), "{ half written");
        Eventually.await("the problem reported", () -> {
            try {
                return health().path("problems").toString().contains("not valid JSON");
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(client.callTool("ask", "{\"question\":\"still?\"}").path("isError").asBoolean(false)).isFalse();
    }

    @Test
    void theToolsComeAndGoWithTheConfigurationAndTheBundle() throws Exception {
        writeConfig("{\"L0\": {\"models\": [\"small\"]}}");
        Eventually.await("the router's tools", () -> host.hasTool("ask"));
        Files.delete(root.resolve("config/router.json"));
        Eventually.await("the tools withdrawn with the file", () -> !host.hasTool("ask") && state().equals("off"));
        writeConfig("{\"L0\": {\"models\": [\"small\"]}}");
        Eventually.await("the router's tools back", () -> host.hasTool("ask"));
        host.undeploy("plugboard-router.jar");
        Eventually.await("the router's tools gone", () -> !host.hasTool("chat"));
    }

    @Test
    void theLearnedRouterTrainsOnTheHostsEmbeddingsAndExplainsAutoByItsNeighbours() throws Exception {
        Path config = Files.createDirectories(root.resolve("config"));
        StringBuilder examples = new StringBuilder();
        String[] hard = {"Prove that there are infinitely many prime numbers.",
            "Prove by induction that the sum of the first n odd numbers is n squared.",
            "Prove that the square root of 2 is irrational.", "Give a rigorous proof of the intermediate value theorem.",
            "Prove that every finite group of prime order is cyclic.", "Prove the Cauchy-Schwarz inequality."};
        String[] easy = {"What is the capital of France?", "What is the capital of Italy?", "Name the capital of Spain.",
            "Which city is the capital of Japan?", "What is the capital of Peru?", "Tell me the capital of Canada."};
        for (int i = 0; i < hard.length; i++) {
            examples.append("{\"prompt\": \"").append(hard[i]).append("\", \"weakCorrect\": false, \"strongCorrect\": true}\n");
            examples.append("{\"prompt\": \"").append(easy[i]).append("\", \"weakCorrect\": true, \"strongCorrect\": true}\n");
        }
        Files.writeString(config.resolve("examples.jsonl"), examples);
        writeConfig("{\"L0\": {\"models\": [\"small\"]}, \"L2\": {\"models\": [\"big\"]}},"
                + " \"learned\": {\"weakTier\": \"L0\", \"strongTier\": \"L2\", \"targetStrongShare\": 0.5,"
                + " \"examples\": \"examples.jsonl\"}");
        Eventually.await("the learned router trained", () -> {
            try {
                return health().path("learned").asText().startsWith("available: 12 examples");
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });

        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Prove that there are infinitely many twin-free primes.\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode why = McpClient.JSON.readTree(r.body()).path("plugboard");
        assertThat(why.path("policy").asText()).isEqualTo("learned");
        assertThat(why.path("tier").asText()).isEqualTo("L2");
        assertThat(why.path("reason").asText()).contains("learned router scored");
        assertThat(why.path("neighbours")).hasSize(3);
        assertThat(why.path("neighbours").get(0).asText()).contains("Prove").contains("weak tier wrong");
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.host.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theV1DoorsOverRealHttp() throws Exception {
        String ask = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> off = post("/v1/chat/completions", ask);
        assertThat(off.statusCode()).isEqualTo(503);
        assertThat(McpClient.JSON.readTree(off.body()).path("error").path("message").asText()).contains("router.json");

        writeConfig("{\"L0\": {\"models\": [\"small\"]}, \"L2\": {\"models\": [\"big\"]}}");
        Eventually.await("the router serving", () -> state().equals("serving"));
        HttpResponse<String> whole = post("/v1/chat/completions", ask);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("X-Plugboard-Tier")).hasValue("L0");
        JsonNode answer = McpClient.JSON.readTree(whole.body());
        assertThat(answer.path("model").asText()).isEqualTo("small");
        assertThat(answer.path("plugboard").path("reason").asText()).contains("default tier");

        HttpResponse<String> streamed = post("/v1/chat/completions",
                "{\"model\":\"L2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"tell me\"}]}");
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(streamed.body()).startsWith("data: {").endsWith("data: [DONE]\n\n").contains("\"usage\"")
                .contains("\"plugboard\"");

        HttpResponse<String> bad = post("/v1/chat/completions", "{not json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(McpClient.JSON.readTree(bad.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        HttpResponse<String> unknown = post("/v1/chat/completions", ask.replace("auto", "gpt-9"));
        assertThat(unknown.statusCode()).isEqualTo(404);

        HttpResponse<String> models = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + host.host.port() + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(McpClient.JSON.readTree(models.body()).path("data").findValuesAsText("id"))
                .containsExactly("auto", "L0", "L2", "small", "big");
        JsonNode chat = McpClient.JSON.readTree(post("/v1/chat", "{\"message\":\"hello\",\"conversationId\":\"http-1\"}").body());
        assertThat(chat.path("reply").asText()).isEqualTo("answer from tiny-1");
        JsonNode context = McpClient.JSON.readTree(HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + host.host.port() + "/v1/context/http-1")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(context.path("messages")).hasSize(2);
        JsonNode route = McpClient.JSON.readTree(post("/v1/route", "{\"message\":\"x\",\"qualityLevel\":\"critical\"}").body());
        assertThat(route.path("tier").asText()).isEqualTo("L2");

        String openapi = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.host.port()
                + "/api/v1/openapi.json")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(McpClient.JSON.readTree(openapi).path("paths").has("/v1/chat/completions")).isTrue();

        // removing the bundle removes its routes
        host.undeploy("plugboard-router.jar");
        Eventually.await("the routes gone", () -> {
            try {
                return post("/v1/chat/completions", ask).statusCode() == 404;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aStreamedChunkReachesTheClientWhileTheModelStillHoldsTheRest() throws Exception {
        writeConfig("{\"L0\": {\"models\": [\"small\"]}, \"L2\": {\"models\": [\"big\"]}}");
        Eventually.await("the router serving", () -> state().equals("serving"));
        CountDownLatch release = new CountDownLatch(1);
        fake.script("tiny-1", new FakeOpenAi.Gated("and the rest", release));
        HttpResponse<InputStream> r = HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + host.host.port() + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"small\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofInputStream()).get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            // the model server sends nothing more until the client has read its first token
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> readUntil(lines, "first "));
            assertThat(first.get(30, TimeUnit.SECONDS)).as("the first token, while the model holds the rest")
                    .contains("first ");
            assertThat(release.getCount()).isEqualTo(1);
            release.countDown();
            assertThat(readUntil(lines, "[DONE]")).contains("and the rest").contains("\"plugboard\"");
        }

        // streamed answers and MCP tool calls are recorded beside the whole ones
        McpClient client = new McpClient(host.mcp).initialize();
        Eventually.await("the router's tools", () -> host.hasTool("ask"));
        assertThat(client.callTool("ask", "{\"question\":\"hello\",\"qualityLevel\":\"CRITICAL\"}")
                .path("isError").asBoolean(false)).isFalse();
        JsonNode decisions = McpClient.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + host.host.port() + "/v1/router/decisions")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("decisions");
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).path("tier").asText()).as("the MCP tool's, newest first").isEqualTo("L2");
        assertThat(decisions.get(0).path("policy").asText()).isEqualTo("rule");
        assertThat(decisions.get(1).path("model").asText()).as("the streamed answer's").isEqualTo("small");
        assertThat(decisions.get(1).path("cost").asDouble()).isPositive();
    }

    /** Reads lines up to and including the first that contains {@code marker}, returning them. */
    private static String readUntil(BufferedReader lines, String marker) {
        StringBuilder out = new StringBuilder();
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.append(line).append('\n');
                if (line.contains(marker)) {
                    return out.toString();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("the stream ended before " + marker + ": " + out);
    }

    @Test
    void theOffStateIsNoProblemOfTheBundle() throws Exception {
        assertThat(state()).isEqualTo("off");
        assertThat(routerProblems()).as("the designed off state").isEqualTo("[]");
        writeConfig("{\"L0\": {\"models\": [\"small\"]}}");
        Eventually.await("the router's tools", () -> host.hasTool("ask"));
        assertThat(routerProblems()).isEqualTo("[]");
        Files.delete(root.resolve("config/router.json"));
        Eventually.await("the router off again", () -> !host.hasTool("ask") && state().equals("off"));
        assertThat(routerProblems()).isEqualTo("[]");
    }

    /** The problems {@code /health/ready} lists for the router bundle, as a JSON array. */
    private String routerProblems() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(host.fullReadiness(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode b : McpClient.JSON.readTree(r.body()).path("bundles")) {
            if ("dev.plugboard.router".equals(b.path("symbolicName").asText())) {
                assertThat(b.path("state").asText()).isEqualTo("ACTIVE");
                return b.path("problems").isArray() ? b.path("problems").toString() : "[]";
            }
        }
        throw new AssertionError("no report of the router bundle in " + r.body());
    }

    @Test
    void theGraphqlFieldsOverRealHttp() throws Exception {
        // off: the router says so, and its other fields answer UNAVAILABLE naming the file
        JsonNode off = graphql("{ router { state tiers { name } models { name } } }");
        assertThat(off.at("/data/router")).isEqualTo(McpClient.JSON.readTree(
                "{\"state\":\"off\",\"tiers\":[],\"models\":[]}"));
        JsonNode offRoute = graphql("{ routerRoute(message: \"x\") { tier } }");
        assertThat(offRoute.at("/errors/0/extensions/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(offRoute.at("/errors/0/message").asText()).contains("router.json");

        writeConfig("{\"L0\": {\"models\": [\"small\"]}, \"L2\": {\"models\": [\"big\"]}}");
        Eventually.await("the router serving", () -> state().equals("serving"));
        JsonNode router = graphql("{ router { state problems tiers { name models reviewed } "
                + "models { name provider inputPerMillion outputPerMillion breaker } } }").at("/data/router");
        assertThat(router.path("state").asText()).isEqualTo("serving");
        assertThat(router.path("tiers").findValuesAsText("name")).containsExactly("L0", "L2");
        assertThat(router.at("/tiers/0/models/0").asText()).isEqualTo("small");
        assertThat(router.path("models").findValuesAsText("name")).containsExactly("small", "big");
        assertThat(router.at("/models/1/outputPerMillion").asDouble()).isEqualTo(20.0);
        assertThat(router.at("/models/0/breaker").asText()).isEqualTo("CLOSED");

        // the decision is the one POST /v1/route gives
        JsonNode route = graphql("{ routerRoute(message: \"x\", qualityLevel: \"critical\") "
                + "{ tier models escalate policy reason neighbours } }").at("/data/routerRoute");
        JsonNode rest = McpClient.JSON.readTree(post("/v1/route", "{\"message\":\"x\",\"qualityLevel\":\"critical\"}")
                .body());
        assertThat(route.path("tier").asText()).isEqualTo("L2");
        assertThat(route.path("policy").asText()).isEqualTo("rule");
        assertThat(route).isEqualTo(rest);

        JsonNode chat = graphql("mutation { routerChat(message: \"hello\", conversationId: \"gql-1\") "
                + "{ conversationId reply model usage plugboard } }").at("/data/routerChat");
        assertThat(chat.path("conversationId").asText()).isEqualTo("gql-1");
        assertThat(chat.path("reply").asText()).isEqualTo("answer from tiny-1");
        assertThat(chat.path("model").asText()).isEqualTo("small");
        assertThat(chat.at("/plugboard/tier").asText()).isEqualTo("L0");
        assertThat(chat.at("/plugboard/cost").asDouble()).isPositive();
        assertThat(chat.at("/usage/total_tokens").asInt()).isPositive();
        JsonNode fresh = graphql("mutation { routerChat(message: \"hi\") { conversationId } }");
        assertThat(fresh.at("/data/routerChat/conversationId").asText()).as("a new conversation gets an id").isNotBlank();
        // the two answers' decisions, newest first, the same GET /v1/router/decisions lists
        JsonNode decisions = graphql("{ routerDecisions { at tier model policy reason cost cache } }")
                .at("/data/routerDecisions");
        assertThat(decisions).hasSize(2);
        assertThat(decisions.findValuesAsText("model")).containsExactly("small", "small");
        assertThat(Instant.parse(decisions.at("/0/at").asText()))
                .as("newest first").isAfterOrEqualTo(Instant.parse(decisions.at("/1/at").asText()));
        assertThat(decisions.at("/0/tier").asText()).isEqualTo("L0");
        assertThat(decisions.at("/0/reason").asText()).isNotBlank();
        assertThat(decisions.at("/0/cost").asDouble()).isPositive();
        JsonNode viaRest = McpClient.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + host.host.port() + "/v1/router/decisions")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("decisions");
        assertThat(decisions.findValuesAsText("at")).isEqualTo(viaRest.findValuesAsText("at"));
        JsonNode conversation = graphql("{ routerConversation(id: \"gql-1\") { conversationId summary messages } }")
                .at("/data/routerConversation");
        assertThat(conversation.path("messages")).hasSize(2);
        assertThat(conversation.at("/messages/1/content").asText()).isEqualTo("answer from tiny-1");

        // the router's refusals as typed errors
        JsonNode empty = graphql("mutation { routerChat(message: \" \") { reply } }");
        assertThat(empty.at("/errors/0/extensions/code").asText()).isEqualTo("BAD_USER_INPUT");
        assertThat(empty.at("/errors/0/message").asText()).contains("message");
        JsonNode unknown = graphql("mutation { routerChat(message: \"x\", model: \"gpt-9\") { reply } }");
        assertThat(unknown.at("/errors/0/extensions/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(unknown.toString()).doesNotContain("Exception").doesNotContain("dev.plugboard");

        // budgets: what this caller spent, and a spent budget refused by name
        String configured = Files.readString(root.resolve("config/router.json"));
        budget(configured, "1.0");
        graphql("mutation { routerChat(message: \"spend\") { reply } }");
        JsonNode spend = graphql("{ routerSpend { name period limitUsd spentUsd } }").at("/data/routerSpend/0");
        assertThat(spend.path("period").asText()).isEqualTo("day");
        assertThat(spend.path("limitUsd").asDouble()).isEqualTo(1.0);
        assertThat(spend.path("spentUsd").asDouble()).isPositive();
        budget(configured, "0.000000001");
        JsonNode spent = graphql("mutation { routerChat(message: \"more\") { reply } }");
        assertThat(spent.at("/errors/0/extensions/code").asText()).isEqualTo("BUDGET_EXCEEDED");
        assertThat(spent.at("/errors/0/extensions/routerCode").asText()).isEqualTo("budget_exceeded");
        assertThat(spent.at("/errors/0/message").asText()).contains("budget daily");

        Scrape metrics = Scrape.of(host.host.port());
        assertThat(metrics.value("plugboard_graphql_plugin_fields_seconds_count", Map.of("field", "Query.routerRoute",
                "bundle", "dev.plugboard.router", "outcome", "ok"))).isEqualTo(1);

        // removing the bundle removes its fields
        host.undeploy("plugboard-router.jar");
        Eventually.await("the fields gone", () -> {
            try {
                return graphql("{ router { state } }").at("/errors/0/extensions/code").asText()
                        .equals("GRAPHQL_VALIDATION_FAILED");
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** Writes the configuration with a daily budget of this many USD, and waits until it applies. */
    private void budget(String configured, String limitUsd) throws IOException {
        Path temp = root.resolve("config/router.json.tmp");
        Files.writeString(temp, configured.replaceFirst("\\{", "{\"budgets\": [{\"name\": \"daily\", \"caller\": \"*\", "
                + "\"period\": \"day\", \"limitUsd\": " + limitUsd + "}],"));
        Files.move(temp, root.resolve("config/router.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Eventually.await("the budget of " + limitUsd + " USD applied", () -> {
            try {
                return graphql("{ routerSpend { limitUsd } }").at("/data/routerSpend/0/limitUsd").asDouble()
                        == Double.parseDouble(limitUsd);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    private JsonNode graphql(String query) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + host.host.port() + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(McpClient.JSON.writeValueAsString(Map.of("query", query))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return McpClient.JSON.readTree(r.body());
    }
}
