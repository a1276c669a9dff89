package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 2025-11-25 streams: primed, numbered, and resumed after a lost connection with Last-Event-ID. */
class ResumableStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;
    TestHost host;

    @BeforeEach
    void start() throws Exception {
        host = TestHost.start(root, Map.of(), "fixture-hello-v1");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void aRequestStreamLostMidwayIsResumedWithNothingMissedOrRepeated() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        String call = c.request("tools/call", "{\"name\":\"slow\",\"arguments\":{\"millis\":3000},"
                + "\"_meta\":{\"progressToken\":\"r\"}}");
        List<Double> progress = new ArrayList<>();
        String resumeFrom;
        try (McpClient.Stream first = c.postStreaming(call)) {
            progress.add(first.await("notifications/progress", WAIT).at("/params/progress").asDouble());
            JsonNode second = first.await("notifications/progress", WAIT);
            progress.add(second.at("/params/progress").asDouble());
            assertThat(first.retry).isNotNull();
            resumeFrom = first.eventId(second);
        }
        assertThat(resumeFrom).matches("s\\d+-2");
        JsonNode last;
        try (McpClient.Stream resumed = c.resume(resumeFrom)) {
            for (JsonNode m : resumed.remaining()) {
                if (m.has("method")) {
                    progress.add(m.at("/params/progress").asDouble());
                }
                last = m;
                if (m.has("result")) {
                    assertThat(m.get("id").asInt()).isEqualTo(McpClient.JSON.readTree(call).get("id").asInt());
                    assertThat(m.at("/result/content/0/text").asText()).isEqualTo("worked 3000 ms");
                }
            }
        }
        assertThat(progress).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
    }

    @Test
    void theSessionStreamReplaysWhatWasSentWhileItWasAway() throws Exception {
        McpClient c = new McpClient(host.mcp).initialize();
        String primed;
        try (McpClient.Stream stream = c.openStream()) {
            Eventually.await("the priming event", () -> stream.lastEventId != null);
            primed = stream.lastEventId;
        }
        assertThat(primed).isEqualTo("g-0");
        Eventually.await("the stream to be released", () -> {
            try (McpClient.Stream probe = c.openStream()) {
                return probe.status == 200;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        host.deploy("fixture-hello-v2", "v2.jar");
        Eventually.await("version 2", () -> host.hasTool("goodbye"));
        try (McpClient.Stream resumed = c.resume(primed)) {
            JsonNode replayed = resumed.await("notifications/tools/list_changed", WAIT);
            assertThat(replayed).isNotNull();
            assertThat(resumed.lastEventId).matches("g-\\d+");
        }
    }

    @Test
    void olderRevisionsAreNotPrimed() throws Exception {
        McpClient c = new McpClient(host.mcp);
        var init = c.post(c.request("initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}"));
        c.sessionId = init.header("Mcp-Session-Id");
        McpClient.Reply r = c.post(c.request("tools/call", "{\"name\":\"slow\",\"arguments\":{\"millis\":20},"
                + "\"_meta\":{\"progressToken\":1}}"));
        assertThat(r.raw().body()).doesNotContain("id: ").doesNotContain("retry:");
        assertThat(r.message().at("/result/content/0/text").asText()).isEqualTo("worked 20 ms");
    }
}
