package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.router.testing.FakeOpenAi;
import java.io.IOException;
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
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover scorecard (bench/README.md#router-failover-scorecard): every fault the fake
 * OpenAI-compatible server can inject is sent through a real host's {@code POST /v1/chat/completions},
 * whole and streamed, and each answer is scored: handled as expected (a retry on the same model, a
 * fallback to the tier's next model, or a clear error: a status with an error code, or an error event
 * and no {@code [DONE]} once a stream has started), and never presented as success. Prints the table,
 * and writes it to {@code target/router-failover-scorecard.md}.
 */
class RouterFailoverScorecardTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** What counts as a correct answer to a fault. */
    enum Expect {
        /** A complete answer from the faulty model itself, after a retry. */
        RETRY,
        /** A complete answer from the tier's next model. */
        FALLBACK,
        /** A status with an error code (before a stream starts), or an error event and no [DONE] (after). */
        ERROR
    }

    /** One fault, in one mode. */
    record Fault(String name, boolean streamed, Expect expect, Function<String, FakeOpenAi.Reply[]> replies,
            boolean wholeTierFails, boolean namedModel) {
    }

    /** How one fault was answered. */
    record Score(Fault fault, int status, String handledBy, boolean correct, boolean presentedAsSuccess) {
    }

    @TempDir
    Path root;
    TestHost host;
    FakeOpenAi fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAi();
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        fake.close();
    }

    private static FakeOpenAi.Reply[] twice(FakeOpenAi.Reply r) {
        return new FakeOpenAi.Reply[] {r, r};
    }

    static List<Fault> faults() {
        List<Fault> out = new ArrayList<>();
        for (boolean streamed : new boolean[] {false, true}) {
            out.add(new Fault("timeout (no answer)", streamed, Expect.FALLBACK, m -> twice(new FakeOpenAi.Hang()), false, false));
            out.add(new Fault(streamed ? "slow first token" : "slow body (headers, no body)", streamed, Expect.FALLBACK,
                    m -> twice(new FakeOpenAi.SlowFirstToken()), false, false));
            out.add(new Fault("429, Retry-After: 1", streamed, Expect.RETRY,
                    m -> new FakeOpenAi.Reply[] {new FakeOpenAi.Status(429, "rate_limit_exceeded", "Slow down", "1")},
                    false, false));
            out.add(new Fault("429, Retry-After: 60", streamed, Expect.FALLBACK,
                    m -> twice(new FakeOpenAi.Status(429, "rate_limit_exceeded", "Slow down", "60")), false, false));
            out.add(new Fault("429, Retry-After: 60, a model named (no fallback)", streamed, Expect.ERROR,
                    m -> twice(new FakeOpenAi.Status(429, "rate_limit_exceeded", "Slow down", "60")), false, true));
            out.add(new Fault("5xx (503)", streamed, Expect.FALLBACK,
                    m -> twice(new FakeOpenAi.Status(503, null, "Overloaded", null)), false, false));
            out.add(new Fault("5xx on every model (last tier, nothing to escalate to)", streamed, Expect.ERROR,
                    m -> twice(new FakeOpenAi.Status(500, null, "Internal error", null)), true, false));
            out.add(new Fault("cut before the first byte", streamed, Expect.FALLBACK,
                    m -> twice(new FakeOpenAi.CutBeforeFirstToken()), false, false));
            out.add(new Fault("cut after the first byte", streamed, streamed ? Expect.ERROR : Expect.FALLBACK,
                    m -> twice(streamed ? new FakeOpenAi.CutAfter(2) : new FakeOpenAi.BodyCut()), false, false));
            out.add(new Fault("malformed JSON", streamed, Expect.FALLBACK, m -> twice(new FakeOpenAi.Malformed()),
                    false, false));
            if (streamed) {
                out.add(new Fault("stall after the first token (idle gap)", true, Expect.ERROR,
                        m -> twice(new FakeOpenAi.StallAfterFirstToken()), false, false));
            }
        }
        return out;
    }

    @Test
    void everyFaultIsAnsweredCorrectlyAndNoneIsPresentedAsSuccess() throws Exception {
        List<Fault> faults = faults();
        // each fault has a tier of its own (its faulty model, then a healthy one), so no breaker
        // opened by one fault changes how another is answered; the tier whose models all fail is last
        StringBuilder models = new StringBuilder("\"backup\": {\"provider\": \"fake\", \"model\": \"backup\"}");
        StringBuilder tiers = new StringBuilder();
        for (int i = 0; i < faults.size(); i++) {
            models.append(", \"f").append(i).append("\": {\"provider\": \"fake\", \"model\": \"flaky-").append(i).append("\"}");
            if (!faults.get(i).wholeTierFails()) {
                tiers.append("\"T").append(i).append("\": {\"models\": [\"f").append(i).append("\", \"backup\"]}, ");
            }
        }
        // one tier whose models all fail, last (a failing tier escalates to the tiers after it)
        models.append(", \"dead\": {\"provider\": \"fake\", \"model\": \"dead\"}");
        tiers.append("\"Tlast\": {\"models\": [\"dead\"]}");
        Path config = Files.createDirectories(root.resolve("config"));
        Files.writeString(config.resolve("router.json"), """
                {"providers": {"fake": {"baseUrl": "%s", "firstTokenTimeoutMs": 700, "idleTimeoutMs": 700,
                                        "timeoutMs": 1500, "retries": 1}},
                 "models": {%s}, "tiers": {%s}, "cache": {"enabled": false}}
                """.formatted(fake.baseUrl(), models, tiers));
        host = TestHost.start(root, Map.of(), "plugboard-router");
        Eventually.await("the router serving", () -> health().path("state").asText().equals("serving"));

        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            fake.script(f.wholeTierFails() ? "dead" : "flaky-" + i, f.replies().apply("flaky-" + i));
            scores.add(score(f, i));
        }

        StringBuilder table = new StringBuilder("| fault | mode | expected | status | handled by | correct | presented as success |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Score s : scores) {
            table.append("| ").append(s.fault().name()).append(" | ").append(s.fault().streamed() ? "streamed" : "whole")
                    .append(" | ").append(s.fault().expect().name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                    .append(s.status()).append(" | ").append(s.handledBy()).append(" | ").append(s.correct() ? "yes" : "**no**")
                    .append(" | ").append(s.presentedAsSuccess() ? "**yes**" : "no").append(" |\n");
        }
        long correct = scores.stream().filter(Score::correct).count();
        long success = scores.stream().filter(Score::presentedAsSuccess).count();
        table.append("\n").append(correct).append(" of ").append(scores.size()).append(" faults answered correctly, ")
                .append(success).append(" presented as success\n");
        System.out.println(table);
        Path out = Path.of("target", "router-failover-scorecard.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);

        assertThat(scores).as(table.toString()).allMatch(Score::correct).noneMatch(Score::presentedAsSuccess);
    }

    private Score score(Fault f, int i) throws IOException, InterruptedException {
        String model = f.namedModel() ? "f" + i : f.wholeTierFails() ? "Tlast" : "T" + i;
        String body = "{\"model\":\"" + model + "\"," + (f.streamed() ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"fault " + i + "\"}]}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.host.port()
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        String flaky = "flaky-" + i;
        int calls = fake.requests(flaky).size();
        if (r.statusCode() != 200) {
            JsonNode error = McpClient.JSON.readTree(r.body()).path("error");
            boolean clear = error.path("code").isTextual() && !error.path("message").asText().isBlank();
            String how = "error " + error.path("code").asText()
                    + r.headers().firstValue("Retry-After").map(s -> ", Retry-After " + s).orElse("");
            return new Score(f, r.statusCode(), how, f.expect() == Expect.ERROR && clear, false);
        }
        String text;
        boolean complete;
        String answeredBy;
        String errorCode = null;
        if (f.streamed()) {
            StringBuilder content = new StringBuilder();
            complete = false;
            answeredBy = null;
            for (String line : r.body().split("\n")) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    complete = true;
                    continue;
                }
                JsonNode chunk = McpClient.JSON.readTree(data);
                if (chunk.has("error")) {
                    errorCode = chunk.path("error").path("code").asText();
                    continue;
                }
                if (chunk.path("plugboard").has("model")) {
                    answeredBy = chunk.path("plugboard").path("model").asText();
                }
                content.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
            }
            text = content.toString();
        } else {
            JsonNode answer = McpClient.JSON.readTree(r.body());
            text = answer.path("choices").path(0).path("message").path("content").asText("");
            complete = answer.path("choices").path(0).path("finish_reason").asText("").equals("stop");
            answeredBy = answer.path("plugboard").path("model").asText();
        }
        String upstream = answeredBy == null ? null : answeredBy.equals("backup") ? "backup" : flaky;
        boolean whole = complete && upstream != null && text.equals("answer from " + upstream);
        boolean presentedAsSuccess = complete && !whole;
        String how;
        boolean correct;
        if (errorCode != null) {
            how = "error event " + errorCode + (complete ? ", then [DONE]" : ", no [DONE]");
            correct = f.expect() == Expect.ERROR && !complete;
        } else if (whole && "backup".equals(answeredBy)) {
            how = "fallback to backup";
            correct = f.expect() == Expect.FALLBACK;
        } else if (whole) {
            how = "retry (" + calls + " calls)";
            correct = f.expect() == Expect.RETRY && calls == 2;
        } else {
            how = (complete ? "complete" : "unfinished") + " answer \"" + text + "\"";
            correct = false;
        }
        return new Score(f, 200, how, correct, presentedAsSuccess);
    }

    private JsonNode health() {
        try {
            return McpClient.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + host.host.port() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .path("plugins").path("router");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
