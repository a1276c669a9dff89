package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.testkit.CallResult;
import dev.plugboard.testkit.McpErrorException;
import dev.plugboard.testkit.McpTestClient;
import dev.plugboard.testkit.PluginHost;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In-framework tests: this project's bundle (target/classes with the manifest bnd wrote) deployed
 * into a real Plugboard host, called over real HTTP as an MCP client would.
 */
class GreeterBundleTest {

    private static PluginHost host;
    private static McpTestClient client;

    @BeforeAll
    static void start() throws Exception {
        host = PluginHost.start(PluginHost.projectBundle());
        client = host.connect();
    }

    @AfterAll
    static void stop() {
        client.close();
        host.close();
    }

    @Test
    void listsTheToolWithItsSchemas() {
        JsonNode greet = client.tool("greet");
        assertEquals("name", greet.at("/inputSchema/required/0").asText());
        assertEquals(1, greet.at("/inputSchema/required").size(), "tone has a default, so it is optional");
        assertEquals("FORMAL", greet.at("/inputSchema/properties/tone/enum/1").asText());
        assertEquals("integer", greet.at("/outputSchema/properties/length/type").asText());
    }

    @Test
    void callsTheTool() {
        CallResult result = client.callTool("greet", Map.of("name", "Ada", "tone", "FORMAL"));
        assertFalse(result.isError());
        assertEquals("Good day, Ada.", result.structured().path("text").asText());
    }

    @Test
    void reportsErrors() {
        CallResult blank = client.callTool("greet", Map.of("name", " "));
        assertTrue(blank.isError());
        assertEquals("name must not be blank", blank.text());
        McpErrorException invalid = assertThrows(McpErrorException.class,
                () -> client.callTool("greet", Map.of("name", "Ada", "tone", "LOUD")));
        assertEquals(-32602, invalid.code());
    }

    @Test
    void servesTheResourceAndThePrompt() {
        JsonNode about = client.request("resources/read", Map.of("uri", "${artifactId}://about"));
        assertTrue(about.at("/contents/0/text").asText().startsWith("# ${artifactId}"));
        JsonNode prompt = client.request("prompts/get", Map.of("name", "welcome_message", "arguments", Map.of("name", "Ada")));
        assertTrue(prompt.at("/messages/0/content/text").asText().contains("Ada"));
    }

    @Test
    void tellsClientsWhenTheBundleGoes() throws Exception {
        try (PluginHost other = PluginHost.start(PluginHost.projectBundle());
             McpTestClient watcher = other.connect()) {
            other.remove(PluginHost.projectBundle().getFileName().toString());
            watcher.awaitNotification("notifications/tools/list_changed", Duration.ofSeconds(30));
        }
    }
}
