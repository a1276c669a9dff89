package dev.plugboard.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.router.RouterService;
import dev.plugboard.router.testing.FakeOpenAi;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /v1 resource methods called directly (no HTTP server), against the fake model server. */
class OpenAiResourceTest {

    final ObjectMapper mapper = new ObjectMapper();
    @TempDir
    Path dir;
    FakeOpenAi fake;
    RouterService service;
    OpenAiResource resource;

    record Caller(String name) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return () -> name;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public String getAuthenticationScheme() {
            return "test";
        }
    }

    final Caller alice = new Caller("alice");

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAi();
        service = new RouterService(new SimpleMeterRegistry(), dir.resolve("config"), dir.resolve("data"));
        resource = new OpenAiResource(service);
    }

    void configure() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/router.json"), """
                {"providers": {"fake": {"baseUrl": "%s"}},
                 "models": {"small": {"provider": "fake", "inputPerMillion": 1, "outputPerMillion": 2},
                            "big": {"provider": "fake", "inputPerMillion": 10, "outputPerMillion": 20}},
                 "tiers": {"L0": {"models": ["small"]}, "L2": {"models": ["big"]}}}
                """.formatted(fake.baseUrl()));
        dev.plugboard.router.Eventually.until(() -> {
            try {
                service.router();
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterEach
    void stop() {
        service.deactivate();
        fake.close();
    }

    JsonNode json(Response r) throws Exception {
        return mapper.readTree((String) r.getEntity());
    }

    @Test
    void withoutAConfigFileTheDoorsAnswer503() throws Exception {
        Response r = resource.completions("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", alice);
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(json(r).path("error").path("message").asText()).contains("router.json");
        assertThat(resource.models().getStatus()).isEqualTo(503);
    }

    @Test
    void aCompletionCarriesTheExplanationInItsBodyAndHeaders() throws Exception {
        configure();
        Response r = resource.completions("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", alice);
        assertThat(r.getStatus()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("model").asText()).isEqualTo("small");
        assertThat(body.path("plugboard").path("tier").asText()).isEqualTo("L0");
        assertThat(r.getHeaderString("X-Plugboard-Tier")).isEqualTo("L0");
        assertThat(r.getHeaderString("X-Plugboard-Model")).isEqualTo("small");
        assertThat(Double.parseDouble(r.getHeaderString("X-Plugboard-Cost"))).isPositive();
    }

    @Test
    void badInputIsA4xxWithAPlainSentence() throws Exception {
        configure();
        List<Response> answers = new ArrayList<>();
        answers.add(resource.completions("{not json", alice));
        answers.add(resource.completions("[1]", alice));
        answers.add(resource.completions("{\"model\":\"auto\",\"messages\":[]}", alice));
        answers.add(resource.completions("{\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", alice));
        answers.add(resource.completions("{\"model\":\"auto\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", alice));
        answers.add(resource.completions("{\"model\":\"auto\",\"plugboard\":{\"qualityLevel\":\"urgent\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", alice));
        answers.add(resource.completions("{\"model\":\"auto\",\"plugboard\":{\"modelPreferences\":{\"costPriority\":3}},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", alice));
        answers.add(resource.chat("{\"message\":\"\"}", alice));
        answers.add(resource.addContext("c", "{\"messages\":[{\"role\":1}]}", alice));
        for (Response r : answers) {
            assertThat(r.getStatus()).isEqualTo(400);
            JsonNode body = json(r);
            assertThat(body.path("status").asInt()).isEqualTo(400);
            assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(body.path("error").path("message").asText()).doesNotContainIgnoringCase("exception")
                    .doesNotContain("jackson").isNotBlank();
        }
        Response unknown = resource.completions("{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", alice);
        assertThat(unknown.getStatus()).isEqualTo(404);
        assertThat(json(unknown).path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aStreamIsServerSentEventsEndingWithUsageAndDone() throws Exception {
        configure();
        fake.script("big", new FakeOpenAi.Answer("one two three"));
        Response r = resource.completions("{\"model\":\"L2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", alice);
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getMediaType().toString()).isEqualTo("text/event-stream");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((StreamingOutput) r.getEntity()).write(out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("data: [DONE]\n\n");
        List<JsonNode> chunks = new ArrayList<>();
        for (String event : text.split("\n\n")) {
            assertThat(event).startsWith("data: ");
            if (!event.equals("data: [DONE]")) {
                chunks.add(mapper.readTree(event.substring(6)));
            }
        }
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.path("usage").path("total_tokens").asInt()).isPositive();
        assertThat(last.path("plugboard").path("tier").asText()).isEqualTo("L2");
    }

    @Test
    void aStreamThatCannotStartIsAStatusNotAStream() throws Exception {
        configure();
        fake.script("small", new FakeOpenAi.Status(400, "context_length_exceeded", "too long", null));
        Response r = resource.completions("{\"model\":\"small\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", alice);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("context_length_exceeded");
    }

    @Test
    void modelsRouteChatAndContext() throws Exception {
        configure();
        JsonNode models = json(resource.models());
        assertThat(models.path("data").findValuesAsText("id")).containsExactly("auto", "L0", "L2", "small", "big");
        JsonNode route = json(resource.route("{\"message\":\"hi\",\"modelPreferences\":{\"intelligencePriority\":0.9}}", alice));
        assertThat(route.path("tier").asText()).isEqualTo("L2");
        assertThat(route.path("policy").asText()).isEqualTo("preferences");
        JsonNode first = json(resource.chat("{\"message\":\"my name is Ada\"}", alice));
        String id = first.path("conversationId").asText();
        assertThat(id).isNotBlank();
        assertThat(first.path("reply").asText()).isEqualTo("answer from small");
        json(resource.chat("{\"message\":\"and yours?\",\"conversationId\":\"" + id + "\"}", alice));
        JsonNode context = json(resource.context(id, alice));
        assertThat(context.path("messages")).hasSize(4);
        assertThat(json(resource.context(id, new Caller("bob"))).path("messages")).isEmpty();
        JsonNode added = json(resource.addContext(id, "{\"summary\":\"Ada asked\",\"messages\":[{\"role\":\"user\",\"content\":\"note\"}]}", alice));
        assertThat(added.path("summary").asText()).isEqualTo("Ada asked");
        assertThat(added.path("messages")).hasSize(5);
    }
}
