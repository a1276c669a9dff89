package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON-RPC batches: answered in 2025-03-26 sessions, which require them; refused in later revisions. */
class BatchTest {

    @TempDir
    static Path root;
    static TestHost host;

    @BeforeAll
    static void start() throws Exception {
        host = TestHost.start(root, Map.of(), "fixture-hello-v1");
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static McpClient session(String version) throws Exception {
        McpClient c = new McpClient(host.mcp);
        McpClient.Reply r = c.post(c.request("initialize", "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"batch\",\"version\":\"1\"}}"));
        assertThat(r.json().at("/result/protocolVersion").asText()).isEqualTo(version);
        c.sessionId = r.header("Mcp-Session-Id");
        return c;
    }

    @Test
    void aBatchIn20250326IsAnsweredWithAnArrayOfResponses() throws Exception {
        McpClient c = session("2025-03-26");
        McpClient.Reply r = c.post("[" + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"hello\",\"arguments\":{\"name\":\"B\"}}},"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no/such\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"initialize\",\"params\":{}},"
                + "42]");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode answers = r.json();
        assertThat(answers.isArray()).isTrue();
        Map<String, JsonNode> byId = new HashMap<>();
        answers.forEach(a -> byId.put(a.path("id").asText("none"), a));
        assertThat(answers).hasSize(5);
        assertThat(byId.get("1").get("result").isEmpty()).isTrue();
        assertThat(byId.get("2").at("/result/content/0/text").asText()).isEqualTo("Hello, B! (v1)");
        assertThat(byId.get("3").at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(byId.get("4").at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(byId.get("none").at("/error/code").asInt()).isEqualTo(-32600);
    }

    @Test
    void aBatchOfNotificationsOnlyIs202AndAnEmptyBatchIs400() throws Exception {
        McpClient c = session("2025-03-26");
        assertThat(c.post("[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]").status()).isEqualTo(202);
        McpClient.Reply empty = c.post("[]");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().at("/error/code").asInt()).isEqualTo(-32600);
    }

    @Test
    void laterRevisionsKeepRefusingBatches() throws Exception {
        for (String version : new String[] {"2025-06-18", "2025-11-25"}) {
            McpClient c = session(version);
            McpClient.Reply r = c.post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().at("/error/code").asInt()).isEqualTo(-32600);
            assertThat(r.json().at("/error/message").asText()).contains("batches");
        }
        McpClient none = new McpClient(host.mcp);
        assertThat(none.post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]").status()).isEqualTo(400);
    }
}
