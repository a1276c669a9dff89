package dev.plugboard.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.store.SharedState;
import dev.plugboard.api.store.SharedStateUnavailableException;
import dev.plugboard.router.learned.WordHashEmbedder;
import dev.plugboard.router.routing.LearnedRoute;
import dev.plugboard.router.routing.ModelPreferences;
import dev.plugboard.router.testing.FakeOpenAi;
import dev.plugboard.router.testing.FakeOpenAi.Answer;
import dev.plugboard.router.testing.FakeOpenAi.CutAfter;
import dev.plugboard.router.testing.FakeOpenAi.CutBeforeFirstToken;
import dev.plugboard.router.testing.FakeOpenAi.Hang;
import dev.plugboard.router.testing.FakeOpenAi.Malformed;
import dev.plugboard.router.testing.FakeOpenAi.StallAfterFirstToken;
import dev.plugboard.router.testing.FakeOpenAi.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router against a fault-injecting OpenAI-compatible server over real loopback HTTP. */
class RouterTest {

    static final String CONFIG = """
            {"providers": {
               "fake": {"baseUrl": "URL", "apiKey": "${file:key.txt}", "retries": 1, "firstTokenTimeoutMs": 10000},
               "quick": {"baseUrl": "URL", "retries": 0, "firstTokenTimeoutMs": 700, "idleTimeoutMs": 700, "timeoutMs": 700},
               "patient": {"baseUrl": "URL", "retries": 0, "firstTokenTimeoutMs": 10000, "idleTimeoutMs": 700}},
             "models": {
               "a1": {"provider": "fake", "inputPerMillion": 1, "outputPerMillion": 2},
               "a2": {"provider": "fake", "inputPerMillion": 1, "outputPerMillion": 2},
               "b1": {"provider": "fake", "inputPerMillion": 5, "outputPerMillion": 10},
               "c1": {"provider": "fake", "model": "upstream-c1", "inputPerMillion": 30, "outputPerMillion": 60},
               "q1": {"provider": "quick"},
               "q2": {"provider": "patient"},
               "rev": {"provider": "fake", "inputPerMillion": 1, "outputPerMillion": 1}},
             "tiers": {"L0": {"models": ["a1", "a2"]}, "L1": {"models": ["b1"]}, "L2": {"models": ["c1"]}},
             "rules": [{"name": "critical work", "when": {"qualityLevel": "critical"}, "tier": "L2"},
                       {"name": "project x", "when": {"project": "x"}, "tier": "L1"}]
             EXTRA}
            """;

    final ObjectMapper mapper = new ObjectMapper();
    @TempDir
    Path dir;
    FakeOpenAi fake;
    RouterService service;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws IOException {
        fake = new FakeOpenAi();
        Files.writeString(dir.resolve("key.txt"), "sk-test\n");
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.deactivate();
        }
        fake.close();
    }

    Router router(String extra) throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/router.json"), CONFIG.replace("URL", fake.baseUrl()).replace("EXTRA", extra));
        Files.writeString(dir.resolve("config/key.txt"), "sk-test\n");
        service = new RouterService(registry, dir.resolve("config"), dir.resolve("data"));
        return service.router();
    }

    ChatCall call(String model, String text) {
        return call("alice", model, text, null, null, null);
    }

    ChatCall call(String caller, String model, String text, String quality, String project, String conversation) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        return new ChatCall(caller, body, quality, project, ModelPreferences.NONE, conversation, null);
    }

    @Test
    void aTierAnswersWithItsFirstModelAndTheCostComesFromUsage() throws Exception {
        ObjectNode answer = router("").complete(call("L1", "hello"));
        assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
        assertThat(answer.path("model").asText()).isEqualTo("b1");
        assertThat(answer.path("choices").path(0).path("message").path("content").asText()).isEqualTo("answer from b1");
        JsonNode why = answer.path("plugboard");
        assertThat(why.path("tier").asText()).isEqualTo("L1");
        assertThat(why.path("policy").asText()).isEqualTo("tier");
        // 11 prompt tokens at 5 USD/M and 3 completion tokens at 10 USD/M
        assertThat(why.path("cost").asDouble()).isEqualTo((11 * 5 + 3 * 10) / 1e6);
        assertThat(answer.path("usage").path("prompt_tokens").asInt()).isEqualTo(11);
        assertThat(registry.get("router.requests").tag("model", "b1").tag("outcome", "ok").counter().count()).isEqualTo(1);
    }

    @Test
    void theUpstreamNameIsSentAndTheAliasReported() throws Exception {
        ObjectNode answer = router("").complete(call("c1", "hi"));
        assertThat(fake.requests("upstream-c1")).hasSize(1);
        assertThat(answer.path("model").asText()).isEqualTo("c1");
        assertThat(answer.path("plugboard").path("policy").asText()).isEqualTo("model");
    }

    @Test
    void aFailingModelFallsBackWithinItsTier() throws Exception {
        fake.script("a1", new Status(503, null, "overloaded", null), new Status(503, null, "overloaded", null));
        ObjectNode answer = router("").complete(call("L0", "hello"));
        assertThat(answer.path("model").asText()).isEqualTo("a2");
        assertThat(fake.requests("a1")).hasSize(2); // one retry on the same model
        JsonNode attempts = answer.path("plugboard").path("attempts");
        assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("failed");
        assertThat(attempts.get(0).path("error").asText()).contains("503").contains("overloaded");
        assertThat(attempts.get(1).path("model").asText()).isEqualTo("a2");
    }

    @Test
    void aWholeTierFailingEscalatesToTheNext() throws Exception {
        fake.script("a1", new Malformed(), new Malformed());
        fake.script("a2", new Status(401, "invalid_api_key", "bad key", null));
        ObjectNode answer = router("").complete(call("auto", "hello"));
        assertThat(answer.path("model").asText()).isEqualTo("b1");
        assertThat(answer.path("plugboard").path("tier").asText()).isEqualTo("L1");
        assertThat(answer.path("plugboard").path("escalatedFrom").asText()).isEqualTo("L0");
        assertThat(fake.requests("a1")).hasSize(1); // malformed answers are not retried
    }

    @Test
    void a429WithAShortRetryAfterIsRetriedOnTheSameModel() throws Exception {
        fake.script("b1", new Status(429, "rate_limit_exceeded", "slow down", "0"));
        ObjectNode answer = router("").complete(call("b1", "hello"));
        assertThat(answer.path("model").asText()).isEqualTo("b1");
        assertThat(fake.requests("b1")).hasSize(2);
    }

    @Test
    void aContextLengthErrorIsTheClientsMistakeAndIsNotRetried() throws Exception {
        fake.script("b1", new Status(400, "context_length_exceeded", "This model's maximum context length is 8192 tokens", null));
        Router router = router("");
        assertThatThrownBy(() -> router.complete(call("b1", "hello")))
                .isInstanceOfSatisfying(RouterException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("context_length_exceeded");
                    assertThat(e.getMessage()).contains("maximum context length");
                });
        assertThat(fake.requests("b1")).hasSize(1);
    }

    @Test
    void whenEveryModelFailsTheAnswerNamesEachAttempt() throws Exception {
        fake.script("c1", new Status(500, null, "boom", null), new Status(500, null, "boom", null));
        fake.script("upstream-c1", new Status(500, null, "boom", null), new Status(500, null, "boom", null));
        Router router = router("");
        assertThatThrownBy(() -> router.complete(call("L2", "hello")))
                .isInstanceOfSatisfying(RouterException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("c1").contains("500");
                });
    }

    @Test
    void rulesAndUnknownNames() throws Exception {
        Router router = router("");
        assertThat(router.complete(call("alice", "auto", "x", "critical", null, null)).path("plugboard")
                .path("reason").asText()).contains("critical work");
        assertThat(router.complete(call("alice", "auto", "x", null, "x", null)).path("model").asText()).isEqualTo("b1");
        assertThatThrownBy(() -> router.complete(call("gpt-9", "x")))
                .isInstanceOfSatisfying(RouterException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> router.complete(call("alice", "auto", "x", "urgent", null, null)))
                .isInstanceOfSatisfying(RouterException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    /** Collects what a door would send. */
    static final class Collected implements ChunkSink {
        final List<ObjectNode> chunks = new ArrayList<>();
        ObjectNode error;
        boolean done;

        @Override
        public void chunk(ObjectNode chunk) {
            chunks.add(chunk);
        }

        @Override
        public void error(ObjectNode e) {
            error = e;
        }

        @Override
        public void done() {
            done = true;
        }

        String text() {
            StringBuilder out = new StringBuilder();
            chunks.forEach(c -> out.append(c.path("choices").path(0).path("delta").path("content").asText("")));
            return out.toString();
        }
    }

    @Test
    void aStreamEndsWithUsageAndTheExplanation() throws Exception {
        fake.script("b1", new Answer("streamed words here"));
        Collected sink = new Collected();
        router("").stream(call("L1", "hello"), sink);
        assertThat(sink.done).isTrue();
        assertThat(sink.text()).isEqualTo("streamed words here");
        ObjectNode last = sink.chunks.get(sink.chunks.size() - 1);
        assertThat(last.path("choices")).isEmpty();
        assertThat(last.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(last.path("plugboard").path("model").asText()).isEqualTo("b1");
        assertThat(sink.chunks).allSatisfy(c -> assertThat(c.path("model").asText()).isEqualTo("b1"));
        assertThat(fake.requests("b1").get(0).path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void aStreamCutBeforeItsFirstTokenFallsBack() throws Exception {
        fake.script("a1", new CutBeforeFirstToken(), new CutBeforeFirstToken());
        Collected sink = new Collected();
        router("").stream(call("L0", "hello"), sink);
        assertThat(sink.done).isTrue();
        assertThat(sink.text()).isEqualTo("answer from a2");
        assertThat(sink.chunks.get(sink.chunks.size() - 1).path("plugboard").path("attempts").get(0).path("error")
                .asText()).contains("before its first token");
    }

    @Test
    void aStreamCutAfterItsFirstTokenEndsWithAnErrorNeverAsComplete() throws Exception {
        fake.script("b1", new CutAfter(2));
        Collected sink = new Collected();
        router("").stream(call("L1", "hello"), sink);
        assertThat(sink.done).isFalse();
        assertThat(sink.text()).isEqualTo("part0 part1 ");
        assertThat(sink.error.path("error").path("code").asText()).isEqualTo("stream_cut");
        assertThat(sink.error.path("error").path("message").asText()).contains("cut off");
        assertThat(fake.requests()).hasSize(1); // no other model after the first byte
    }

    @Test
    void aSlowFirstTokenFallsBackAndAStallAfterItIsAnError() throws Exception {
        Router router = router(", \"tiers\": {\"Q\": {\"models\": [\"q1\", \"a2\"]}}".replace(", \"tiers\"", ", \"unused\""));
        // q1's provider waits 700 ms for the first token
        fake.script("q1", new Hang());
        ChatCall call = call("q1", "hello");
        Collected sink = new Collected();
        assertThatThrownBy(() -> router.stream(call, sink))
                .isInstanceOfSatisfying(RouterException.class, e -> assertThat(e.getMessage()).contains("first token"));
        assertThat(sink.chunks).isEmpty();
        // a first token that is slow to come on a loaded machine must not count as the stall
        fake.script("q2", new StallAfterFirstToken());
        Collected stalled = new Collected();
        router.stream(call("q2", "hello"), stalled);
        assertThat(stalled.done).isFalse();
        assertThat(stalled.text()).isEqualTo("first ");
        assertThat(stalled.error.path("error").path("message").asText()).contains("stalled");
    }

    @Test
    void aRejectedAnswerEscalatesWithAHandoffPackage() throws Exception {
        String extra = """
                , "review": {"model": "rev"}
                """;
        Files.createDirectories(dir.resolve("config"));
        String config = CONFIG.replace("\"L0\": {\"models\": [\"a1\", \"a2\"]}", "\"L0\": {\"models\": [\"a1\", \"a2\"], \"review\": true}");
        Files.writeString(dir.resolve("config/router.json"), config.replace("URL", fake.baseUrl()).replace("EXTRA", extra));
        Files.writeString(dir.resolve("config/key.txt"), "sk-test\n");
        service = new RouterService(registry, dir.resolve("config"), dir.resolve("data"));
        fake.script("a1", new Answer("Paris is in Spain"));
        fake.script("rev", new Answer("{\"verdict\":\"reject\",\"issues\":[\"Paris is in France\"],\"openQuestions\":[]}"));
        ObjectNode answer = service.router().complete(call("auto", "Where is Paris?"));
        assertThat(answer.path("model").asText()).isEqualTo("b1");
        JsonNode why = answer.path("plugboard");
        assertThat(why.path("escalatedFrom").asText()).isEqualTo("L0");
        assertThat(why.path("review").path("verdict").path("verdict").asText()).isEqualTo("reject");
        assertThat(why.path("handoff").path("knownIssues").get(0).asText()).isEqualTo("Paris is in France");
        assertThat(why.path("handoff").path("attempts").get(0).path("answer").asText()).isEqualTo("Paris is in Spain");
        ObjectNode review = fake.requests("rev").get(0);
        assertThat(review.path("response_format").path("type").asText()).isEqualTo("json_schema");
        ObjectNode escalated = fake.requests("b1").get(0);
        assertThat(escalated.path("messages").get(0).path("content").asText()).contains("Handoff package")
                .contains("Paris is in France");
        assertThat(registry.get("router.escalations").tag("why", "rejected").counter().count()).isEqualTo(1);
    }

    @Test
    void anUnusableVerdictLeavesTheAnswerMarkedUnverified() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        String config = CONFIG.replace("\"L0\": {\"models\": [\"a1\", \"a2\"]}", "\"L0\": {\"models\": [\"a1\"], \"review\": true}");
        Files.writeString(dir.resolve("config/router.json"), config.replace("URL", fake.baseUrl())
                .replace("EXTRA", ", \"review\": {\"model\": \"rev\"}"));
        Files.writeString(dir.resolve("config/key.txt"), "sk-test\n");
        service = new RouterService(registry, dir.resolve("config"), dir.resolve("data"));
        fake.script("rev", new Answer("I reject this answer, it is wrong"));
        ObjectNode answer = service.router().complete(call("L0", "Where is Paris?"));
        assertThat(answer.path("model").asText()).isEqualTo("a1");
        assertThat(answer.path("plugboard").path("review").path("verified").asBoolean(true)).isFalse();
        assertThat(answer.path("plugboard").path("review").path("error").asText()).contains("not JSON");
    }

    @Test
    void theExactCacheAnswersTheSameCallerOnly() throws Exception {
        Router router = router("");
        router.complete(call("alice", "L1", "same question", null, null, null));
        ObjectNode again = router.complete(call("alice", "L1", "same question", null, null, null));
        assertThat(again.path("plugboard").path("cache").asText()).isEqualTo("hit");
        assertThat(again.path("plugboard").path("cost").asDouble()).isZero();
        ObjectNode other = router.complete(call("bob", "L1", "same question", null, null, null));
        assertThat(other.path("plugboard").path("cache").asText()).isEqualTo("miss");
        assertThat(fake.requests("b1")).hasSize(2);
        assertThat(registry.get("router.cache.hits").counter().count()).isEqualTo(1);
    }

    @Test
    void aBudgetRefusesBeforeTheCallAndNamesItself() throws Exception {
        Router router = router(", \"budgets\": [{\"name\": \"tiny\", \"caller\": \"*\", \"period\": \"day\", \"limitUsd\": 0.0001}]");
        assertThatThrownBy(() -> router.complete(call("c1", "expensive")))
                .isInstanceOfSatisfying(RouterException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("budget_exceeded");
                    assertThat(e.getMessage()).contains("budget tiny");
                    assertThat(e.retryAfterSeconds()).isPositive();
                });
        assertThat(fake.requests()).isEmpty();
        assertThat(registry.get("router.budget.refusals").tag("budget", "tiny").counter().count()).isEqualTo(1);
    }

    /** The host's shared state while its Redis is out of reach: every operation fails as the host's does. */
    private static final SharedState REDIS_DOWN = new SharedState() {
        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public Optional<byte[]> get(String key) {
            throw down();
        }

        @Override
        public void put(String key, byte[] value, Duration ttl) {
            throw down();
        }

        @Override
        public void delete(String key) {
            throw down();
        }

        @Override
        public Reservation reserve(String key, long amount, long limit, Duration ttl) {
            throw down();
        }

        @Override
        public long adjust(String key, long delta, Duration ttl) {
            throw down();
        }

        private SharedStateUnavailableException down() {
            return new SharedStateUnavailableException("Redis at redis://127.0.0.1:1 is unreachable");
        }
    };

    @Test
    void whileTheSharedStoreIsDownBudgetsRefuseWith503AndTheCacheMisses() throws Exception {
        Router router = router(", \"budgets\": [{\"name\": \"daily\", \"caller\": \"bob\", \"period\": \"day\", \"limitUsd\": 10}]");
        service.bindShared(REDIS_DOWN);
        assertThatThrownBy(() -> router.complete(call("bob", "L0", "hi", null, null, null)))
                .isInstanceOfSatisfying(RouterException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("budget_store_unavailable");
                    assertThat(e.getMessage()).startsWith("budget store unavailable: budget daily cannot be checked")
                            .contains("unreachable");
                });
        assertThat(fake.requests()).isEmpty();
        // a caller without a budget is served; the shared cache misses both times
        assertThat(router.complete(call("L0", "hi")).path("plugboard").path("cache").asText()).isEqualTo("miss");
        assertThat(router.complete(call("L0", "hi")).path("plugboard").path("cache").asText()).isEqualTo("hit");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void aConversationContinuesAfterARestart() throws Exception {
        Router router = router("");
        router.complete(call("alice", "L1", "my name is Ada", null, null, "c-1"));
        service.deactivate();
        service = new RouterService(registry, dir.resolve("config"), dir.resolve("data"));
        service.router().complete(call("alice", "L1", "what is my name?", null, null, "c-1"));
        JsonNode sent = fake.requests("b1").get(1).path("messages");
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0).path("content").asText()).isEqualTo("my name is Ada");
        assertThat(sent.get(1).path("content").asText()).isEqualTo("answer from b1");
        assertThat(sent.get(2).path("content").asText()).isEqualTo("what is my name?");
        // another caller's conversation of the same id is another conversation
        service.router().complete(call("bob", "L1", "hi", null, null, "c-1"));
        assertThat(fake.requests("b1").get(2).path("messages")).hasSize(1);
    }

    @Test
    void aLongConversationIsCompressedByAModelCall() throws Exception {
        Router router = router(", \"conversations\": {\"maxMessages\": 4, \"keepRecent\": 2, \"summaryTier\": \"L1\"}");
        fake.script("b1", new Answer("Ada asked twice."));
        router.complete(call("alice", "L0", "one", null, null, "long"));
        router.complete(call("alice", "L0", "two", null, null, "long"));
        router.complete(call("alice", "L0", "three", null, null, "long"));
        Eventually.until(() -> !service.conversations().orElseThrow().load("alice", "long").summary().isEmpty());
        var kept = service.conversations().orElseThrow().load("alice", "long");
        assertThat(kept.summary()).isEqualTo("Ada asked twice.");
        assertThat(kept.messages()).hasSize(2);
        assertThat(fake.requests("b1").get(0).path("messages").get(1).path("content").asText()).contains("user: one");
        router.complete(call("alice", "L0", "four", null, null, "long"));
        JsonNode sent = fake.requests().get(fake.requests().size() - 1).path("messages");
        assertThat(sent.get(0).path("content").asText()).contains("Summary of the conversation so far: Ada asked twice.");
    }

    @Test
    void theCostCeilingStopsTheCascadeBeforeAnExpensiveModel() throws Exception {
        fake.script("a1", new Status(503, null, "down", null), new Status(503, null, "down", null));
        fake.script("a2", new Status(503, null, "down", null), new Status(503, null, "down", null));
        Router router = router(", \"maxCostPerRequest\": 0.01");
        // 512 tokens out (the default reservation) stay under 0.01 USD on L0 and L1, not on L2 (60 USD per million)
        ObjectNode answer = router.complete(call("auto", "hello"));
        assertThat(answer.path("model").asText()).isEqualTo("b1");
        fake.script("a1", new Status(503, null, "down", null), new Status(503, null, "down", null));
        fake.script("a2", new Status(503, null, "down", null), new Status(503, null, "down", null));
        fake.script("b1", new Status(503, null, "down", null), new Status(503, null, "down", null));
        assertThatThrownBy(() -> router.complete(call("alice", "auto", "another", null, null, null)))
                .isInstanceOfSatisfying(RouterException.class, e -> {
                    assertThat(e.code()).isEqualTo("cost_ceiling");
                    assertThat(e.getMessage()).contains("cost ceiling").contains("c1");
                });
        assertThat(fake.requests("upstream-c1")).isEmpty();
    }

    @Test
    void theClientsOwnModelAnswersWhenTheRequestCanSampleAndIsSkippedOtherwise() throws Exception {
        router("");
        Files.writeString(dir.resolve("config/router.json"), CONFIG.replace("URL", fake.baseUrl()).replace("EXTRA", "")
                .replace("\"L0\": {\"models\": [\"a1\", \"a2\"]}", "\"L0\": {\"models\": [\"@client\", \"a1\"]}"));
        service.deactivate();
        service = new RouterService(registry, dir.resolve("config"), dir.resolve("data"));
        Router router = service.router();
        ObjectNode fromHttp = router.complete(call("L0", "hi"));
        assertThat(fromHttp.path("model").asText()).isEqualTo("a1");
        assertThat(fromHttp.path("plugboard").path("attempts").get(0).path("outcome").asText()).isEqualTo("skipped");
        ObjectNode body = mapper.createObjectNode();
        body.put("model", "L0");
        body.putArray("messages").addObject().put("role", "user").put("content", "sample me");
        List<ObjectNode> asked = new ArrayList<>();
        ChatCall sampling = new ChatCall("alice", body, null, null, ModelPreferences.NONE, null, null, b -> {
            asked.add(b);
            ObjectNode c = mapper.createObjectNode();
            c.putArray("choices").addObject().put("finish_reason", "stop").putObject("message")
                    .put("role", "assistant").put("content", "from the client");
            return new dev.plugboard.router.provider.Completion(c, dev.plugboard.router.provider.Usage.NONE, 0);
        });
        ObjectNode fromClient = router.complete(sampling);
        assertThat(fromClient.path("model").asText()).isEqualTo("@client");
        assertThat(fromClient.path("choices").path(0).path("message").path("content").asText()).isEqualTo("from the client");
        assertThat(fromClient.path("plugboard").path("cost").asDouble()).isZero();
        assertThat(asked.get(0).path("messages").get(0).path("content").asText()).isEqualTo("sample me");
    }

    @Test
    void aLongRetryAfterIsNotWaitedOutAndTheBillIsTheFallbacks() throws Exception {
        fake.script("a1", new Status(429, "rate_limit_exceeded", "slow down", "30"));
        ObjectNode answer = router("").complete(call("L0", "hello"));
        assertThat(answer.path("model").asText()).isEqualTo("a2");
        assertThat(fake.requests("a1")).hasSize(1);
        assertThat(answer.path("usage").path("prompt_tokens").asInt()).isEqualTo(11);
        assertThat(answer.path("plugboard").path("cost").asDouble()).isEqualTo((11 * 1 + 3 * 2) / 1e6);
    }

    @Test
    void aPersistent429OnANamedModelIsA429WithRetryAfter() throws Exception {
        fake.script("b1", new Status(429, null, "slow down", "7"));
        Router router = router("");
        assertThatThrownBy(() -> router.complete(call("b1", "hello")))
                .isInstanceOfSatisfying(RouterException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.retryAfterSeconds()).isEqualTo(7);
                    assertThat(e.getMessage()).contains("slow down");
                });
    }

    @Test
    void aMalformedStreamBeforeItsFirstTokenIsAStatusNotAStream() throws Exception {
        fake.script("b1", new Malformed());
        Collected before = new Collected();
        Router router = router("");
        // malformed before any token: nothing was sent, so the whole tier failing is a status
        assertThatThrownBy(() -> router.stream(call("b1", "hello"), before)).isInstanceOf(RouterException.class);
        assertThat(before.chunks).isEmpty();
    }

    @Test
    void anAnswerWithoutUsageIsChargedByEstimateAndSaysSo() throws Exception {
        fake.script("b1", new FakeOpenAi.NoUsage("four words of answer"));
        ObjectNode answer = router("").complete(call("b1", "hello"));
        assertThat(answer.path("plugboard").path("usageEstimated").asBoolean()).isTrue();
        assertThat(answer.path("plugboard").path("cost").asDouble()).isPositive();
    }

    @Test
    void aStreamedAnswerIsCachedAndReplayedAsAStream() throws Exception {
        Router router = router("");
        Collected first = new Collected();
        router.stream(call("L1", "stream me"), first);
        Collected again = new Collected();
        router.stream(call("L1", "stream me"), again);
        assertThat(again.done).isTrue();
        assertThat(again.text()).isEqualTo(first.text()).isEqualTo("answer from b1");
        assertThat(again.chunks.get(again.chunks.size() - 1).path("plugboard").path("cache").asText()).isEqualTo("hit");
        assertThat(fake.requests("b1")).hasSize(1);
    }

    @Test
    void aReviewedTierIsCheckedWholeBeforeItIsStreamed() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        String config = CONFIG.replace("\"L0\": {\"models\": [\"a1\", \"a2\"]}", "\"L0\": {\"models\": [\"a1\"], \"review\": true}");
        Files.writeString(dir.resolve("config/router.json"), config.replace("URL", fake.baseUrl())
                .replace("EXTRA", ", \"review\": {\"model\": \"rev\"}"));
        Files.writeString(dir.resolve("config/key.txt"), "sk-test\n");
        service = new RouterService(registry, dir.resolve("config"), dir.resolve("data"));
        fake.script("rev", new Answer("{\"verdict\":\"reject\",\"issues\":[\"wrong\"],\"openQuestions\":[\"which city?\"]}"));
        Collected sink = new Collected();
        service.router().stream(call("L0", "Where is Paris?"), sink);
        assertThat(sink.done).isTrue();
        assertThat(sink.text()).isEqualTo("answer from b1");
        JsonNode why = sink.chunks.get(sink.chunks.size() - 1).path("plugboard");
        assertThat(why.path("escalatedFrom").asText()).isEqualTo("L0");
        assertThat(why.path("handoff").path("openQuestions").get(0).asText()).isEqualTo("which city?");
        assertThat(fake.requests("a1").get(0).has("stream")).isFalse();
    }

    @Test
    void autoFallsToTheDefaultTierWhileTheLearnedRouterTrainsThenFollowsItWithItsNeighbours() throws Exception {
        Router router = router(", \"defaultTier\": \"L0\", \"learned\": {\"weakTier\": \"L0\", \"strongTier\": \"L2\","
                + " \"targetStrongShare\": 0.3, \"examples\": \"examples.jsonl\"}");
        service.bindLearned(new LearnedRoute() {
            @Override
            public Judgement judge(String prompt) {
                throw new AssertionError("a router still training is not asked");
            }

            @Override
            public boolean ready() {
                return false;
            }

            @Override
            public String status() {
                return "training";
            }
        });
        JsonNode first = router.complete(call("auto", "prove it")).path("plugboard");
        assertThat(first.path("policy").asText()).isEqualTo("default");
        assertThat(first.path("tier").asText()).isEqualTo("L0");
        assertThat(first.path("reason").asText()).contains("not ready (training)");
        assertThat(((java.util.Map<?, ?>) service.health()).get("learned")).isEqualTo("training");

        service.bindLearned(prompt -> new LearnedRoute.Judgement(true, 0.8, 0.5, List.of("\"prove the lemma\" (similarity 0.90)")));
        JsonNode second = router.complete(call("auto", "prove it again")).path("plugboard");
        assertThat(second.path("policy").asText()).isEqualTo("learned");
        assertThat(second.path("tier").asText()).isEqualTo("L2");
        assertThat(second.path("reason").asText()).contains("scored 0.800 against its threshold 0.500");
        assertThat(second.path("neighbours").get(0).asText()).contains("prove the lemma");
        assertThat(((java.util.Map<?, ?>) service.health()).get("learned")).isEqualTo("available");
    }

    static final String SEMANTIC = ", \"cache\": {\"semantic\": {\"enabled\": true, \"threshold\": THRESHOLD}}";

    ChatCall withSystem(String caller, String system, String text) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", "L1");
        body.putArray("messages").add(mapper.createObjectNode().put("role", "system").put("content", system))
                .add(mapper.createObjectNode().put("role", "user").put("content", text));
        return new ChatCall(caller, body, null, null, ModelPreferences.NONE, null, null);
    }

    @Test
    void theSemanticCacheAnswersARewordingInTheSameContextFromTheSameCallerOnly() throws Exception {
        Router router = router(SEMANTIC.replace("THRESHOLD", "0.9"));
        service.useEmbedder(new WordHashEmbedder());
        JsonNode first = router.complete(withSystem("alice", "Be brief.", "What is the capital of France?")).path("plugboard");
        assertThat(first.path("cache").asText()).isEqualTo("miss");
        assertThat(first.path("semantic").asText()).isEqualTo("miss");

        ObjectNode again = router.complete(withSystem("alice", "Be brief.", "what is the capital of France, please?"));
        JsonNode why = again.path("plugboard");
        assertThat(why.path("cache").asText()).isEqualTo("semantic");
        assertThat(why.path("similarity").asDouble()).isBetween(0.9, 1.0);
        assertThat(why.path("reason").asText()).contains("rewording").contains("model b1");
        assertThat(why.path("cost").asDouble()).isZero();
        assertThat(again.path("choices").path(0).path("message").path("content").asText()).isEqualTo("answer from b1");
        assertThat(fake.requests("b1")).hasSize(1);
        assertThat(registry.get("router.cache.hits").tag("kind", "semantic").counter().count()).isEqualTo(1);

        // never across callers, nor with another system prompt
        JsonNode bob = router.complete(withSystem("bob", "Be brief.", "what is the capital of France, please?")).path("plugboard");
        assertThat(bob.path("cache").asText()).isEqualTo("miss");
        JsonNode otherSystem = router.complete(withSystem("alice", "Be verbose.", "what is the capital of France, please?"))
                .path("plugboard");
        assertThat(otherSystem.path("cache").asText()).isEqualTo("miss");
        assertThat(fake.requests("b1")).hasSize(3);
    }

    @Test
    void theSemanticCacheRefusesAQuestionWithOtherNumbersHoweverSimilar() throws Exception {
        Router router = router(SEMANTIC.replace("THRESHOLD", "0.5"));
        service.useEmbedder(new WordHashEmbedder());
        router.complete(withSystem("alice", "Be brief.", "What is 2+2?"));
        JsonNode why = router.complete(withSystem("alice", "Be brief.", "What is 2+3?")).path("plugboard");
        assertThat(why.path("cache").asText()).isEqualTo("miss");
        assertThat(why.path("semantic").asText()).contains("has other numbers");
        assertThat(fake.requests("b1")).hasSize(2);
    }

    @Test
    void theSemanticCacheIsOffUnlessConfigured() throws Exception {
        Router router = router("");
        service.useEmbedder(new WordHashEmbedder());
        router.complete(withSystem("alice", "Be brief.", "What is the capital of France?"));
        JsonNode why = router.complete(withSystem("alice", "Be brief.", "What is the capital of France?!")).path("plugboard");
        assertThat(why.path("cache").asText()).isEqualTo("miss");
        assertThat(why.has("semantic")).isFalse();
        assertThat(fake.requests("b1")).hasSize(2);
    }
}
