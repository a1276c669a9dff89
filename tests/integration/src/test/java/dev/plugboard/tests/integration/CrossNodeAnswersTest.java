package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.testsupport.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Questions a tool asks the client (elicitation) on two real hosts sharing one real
 * {@code redis-server}, with a client whose posts go to either node: an answer posted to the node
 * that did not ask reaches the tool waiting on the other, the two nodes' question ids never collide,
 * and an answer to a question of a node that stopped is refused with 410 instead of vanishing.
 */
class CrossNodeAnswersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;

    private static McpClient on(TestHost node, String sessionId) {
        McpClient client = new McpClient(node.mcp);
        client.sessionId = sessionId;
        return client;
    }

    private static String elicit(McpClient client, String message) {
        return client.request("tools/call", "{\"name\":\"test_elicitation\",\"arguments\":{\"message\":\""
                + message + "\"}}");
    }

    private static String accept(JsonNode question, String username) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + question.get("id") + ",\"result\":{\"action\":\"accept\","
                + "\"content\":{\"username\":\"" + username + "\",\"email\":\"" + username + "@example.org\"}}}";
    }

    private static String resultText(McpClient.Stream call) throws InterruptedException {
        for (JsonNode m : call.remaining()) {
            if (m.has("result")) {
                return m.at("/result/content/0/text").asText();
            }
        }
        throw new AssertionError("the call ended without a result");
    }

    @Test
    void anAnswerPostedToTheOtherNodeReachesTheToolThatAsked() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TestHost b = TestHost.start(root.resolve("b"), Map.of("store.redis.url", redis.url()),
                        "plugboard-conformance")) {
            TestHost a = TestHost.start(root.resolve("a"), Map.of("store.redis.url", redis.url()),
                    "plugboard-conformance");
            try {
                Eventually.await("the fixture's tools on both nodes",
                        () -> a.hasTool("test_elicitation") && b.hasTool("test_elicitation"));
                McpClient.Reply init = new McpClient(a.mcp).post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
                        + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"elicitation\":{}},"
                        + "\"clientInfo\":{\"name\":\"round-robin\",\"version\":\"1\"}}}");
                assertThat(init.status()).as(init.raw().body()).isEqualTo(200);
                String session = init.header("Mcp-Session-Id");
                McpClient onA = on(a, session);
                McpClient onB = on(b, session);
                assertThat(onB.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").status())
                        .isEqualTo(202);

                // Each node asks in one call at the same time; each answer goes to the other node.
                try (McpClient.Stream callOnA = onA.postStreaming(elicit(onA, "from A"));
                        McpClient.Stream callOnB = onB.postStreaming(elicit(onB, "from B"))) {
                    JsonNode askedByA = callOnA.await("elicitation/create", WAIT);
                    JsonNode askedByB = callOnB.await("elicitation/create", WAIT);
                    assertThat(askedByA.at("/params/message").asText()).isEqualTo("from A");
                    assertThat(List.of(askedByA.get("id").asText(), askedByB.get("id").asText()))
                            .allMatch(id -> id.matches("srv-[0-9a-f]+-\\d+"))
                            .doesNotHaveDuplicates();

                    McpClient.Reply toB = onB.post(accept(askedByA, "alice"));
                    McpClient.Reply toA = onA.post(accept(askedByB, "bob"));
                    assertThat(toB.status()).as(toB.raw().body()).isEqualTo(202);
                    assertThat(toA.status()).as(toA.raw().body()).isEqualTo(202);
                    assertThat(resultText(callOnA)).contains("alice").doesNotContain("bob");
                    assertThat(resultText(callOnB)).contains("bob").doesNotContain("alice");
                }

                // An answer that comes after its node stopped is refused, naming why.
                JsonNode orphan;
                try (McpClient.Stream callOnA = onA.postStreaming(elicit(onA, "from A again"))) {
                    orphan = callOnA.await("elicitation/create", WAIT);
                    a.close();
                }
                McpClient.Reply late = onB.post(accept(orphan, "carol"));
                assertThat(late.status()).as(late.raw().body()).isEqualTo(410);
                assertThat(late.json().at("/error/message").asText()).contains(orphan.get("id").asText())
                        .contains("stopped before the answer came");
                assertThat(late.raw().body()).doesNotContain("Exception");
                // A second copy of that answer, or an answer to a question nobody asked, is dropped as before.
                assertThat(onB.post(accept(orphan, "carol")).status()).isEqualTo(202);
                assertThat(onB.post("{\"jsonrpc\":\"2.0\",\"id\":\"srv-0-1\",\"result\":{}}").status()).isEqualTo(202);
                // The session itself lives on: node B serves it.
                assertThat(onB.call("ping", null).has("result")).isTrue();
            } finally {
                a.close();
            }
        }
    }
}
