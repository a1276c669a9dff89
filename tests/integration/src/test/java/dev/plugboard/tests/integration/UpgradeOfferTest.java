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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that offer cleartext HTTP/2 on every first request ({@code Upgrade: h2c}, as the JDK's
 * {@code HttpClient} does by default) are answered over HTTP/1.1 like any other: bodies are read,
 * answers carry their headers, on MCP, REST and GraphQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeOfferTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private TestHost host;
    private String base;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        host = TestHost.start(root, Map.of(), "plugboard-essentials");
        base = "http://127.0.0.1:" + host.host.port();
        Eventually.await("the essentials' tools", () -> host.hasTool("uuid"));
    }

    @AfterAll
    void stop() {
        host.close();
    }

    /** A new client per request, so that each request opens a connection and offers the upgrade. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void mcpInitializeWithABodyIsAnsweredOverHttp11() throws Exception {
        String init = """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
                "capabilities":{},"clientInfo":{"name":"jdk","version":"1"}}}""";
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(init)));
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        assertThat(answer.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(JSON.readTree(answer.body()).at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
    }

    @Test
    void restCallWithABodyIsAnswered() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools/uuid/call"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        JsonNode result = JSON.readTree(answer.body());
        assertThat(result.path("isError").asBoolean(false)).isFalse();
    }

    @Test
    void largeAnswersKeepTheirHeaders() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/openapi.json")).GET());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        assertThat(JSON.readTree(answer.body()).path("openapi").asText()).startsWith("3.1");
    }

    @Test
    void graphqlQueryIsAnswered() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ health { status } }\"}")));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).at("/data/health/status").asText()).isNotEmpty();
    }
}
