package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http.responseMode=sse}: every POSTed request is answered with a stream. */
class SseResponsesTest {

    @TempDir
    Path root;
    TestHost host;

    @BeforeEach
    void start() throws Exception {
        host = TestHost.start(root, Map.of("http.responseMode", "sse"), "fixture-hello-v1");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void aQuickAnswerIsOnePrimedStreamAndTheSessionKeepsServing() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        for (int i = 0; i < 200; i++) {
            McpClient.Reply r = c.post(c.request("tools/call", "{\"name\":\"hello\",\"arguments\":{\"name\":\"n" + i + "\"}}"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/event-stream");
            assertThat(r.raw().body()).containsPattern("id: s\\d+-0\nretry: \\d+\ndata: \n\n");
            assertThat(r.message().at("/result/content/0/text").asText()).isEqualTo("Hello, n" + i + "! (v1)");
        }
    }

    @Test
    void aSlowAnswerStillOpensItsStreamEarly() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        try (McpClient.Stream stream = c.postStreaming(c.request("tools/call",
                "{\"name\":\"slow\",\"arguments\":{\"millis\":3000}}"))) {
            assertThat(stream.status).isEqualTo(200);
            Eventually.await("the priming event", () -> stream.lastEventId != null);
            assertThat(stream.lastEventId).matches("s\\d+-0");
            assertThat(stream.next(java.time.Duration.ZERO)).as("the answer, before the tool finished").isNull();
            List<JsonNode> rest = stream.remaining();
            assertThat(rest).last().satisfies(m -> assertThat(m.at("/result/content/0/text").asText())
                    .isEqualTo("worked 3000 ms"));
        }
    }
}
