package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search bundle in a real host: following hot deploys, search mode, and its removal. */
class SearchTest {

    private static final Duration NOTICE = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private static List<String> found(McpClient client, String query, String mode) throws Exception {
        JsonNode result = client.callTool("search_catalog", "{\"query\":\"" + query + "\",\"mode\":\"" + mode + "\"}");
        assertThat(result.path("isError").asBoolean()).as("search_catalog failed: %s", result).isFalse();
        List<String> keys = new ArrayList<>();
        result.at("/structuredContent/results").forEach(h -> keys.add(h.get("key").asText()));
        return keys;
    }

    @Test
    void aDeployedBundlesToolsAreFoundRightAwayAndGoneAfterItsRemoval() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-search")) {
            Eventually.await("the search tools", NOTICE, () -> host.hasTool("search_catalog"));
            McpClient client = new McpClient(host.mcp).initialize();
            try (McpClient.Stream stream = client.openStream()) {
                for (String mode : List.of("BM25", "VECTOR", "HYBRID")) {
                    assertThat(found(client, "evaluate an arithmetic expression", mode)).first().isEqualTo("calculate");
                    assertThat(found(client, "say hello to someone", mode)).doesNotContain("hello");
                }

                host.deploy("fixture-hello-v1", "hello.jar");
                stream.await("notifications/tools/list_changed", NOTICE);
                for (String mode : List.of("BM25", "VECTOR", "HYBRID")) {
                    assertThat(found(client, "say hello to someone", mode)).as(mode).first().isEqualTo("hello");
                }

                host.undeploy("hello.jar");
                stream.await("notifications/tools/list_changed", NOTICE);
                Eventually.await("the plugin to be gone", () -> !host.hasTool("hello"));
                for (String mode : List.of("BM25", "VECTOR", "HYBRID")) {
                    assertThat(found(client, "say hello to someone", mode)).as(mode).doesNotContain("hello");
                }
            }
        }
    }

    @Test
    void answersByFullTextUntilTheVectorsAreReadyAndSaysSo() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-search")) {
            Eventually.await("the search tools", NOTICE, () -> host.hasTool("search_catalog"));
            // Nothing asked for vectors yet: the model is not loaded, and readiness says so without failing.
            HttpResponse<String> ready = readiness(host);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"vectors\":\"not ready");
            McpClient client = new McpClient(host.mcp).initialize();
            String query = "{\"query\":\"evaluate an arithmetic expression\",\"mode\":\"HYBRID\"}";
            JsonNode first = client.callTool("search_catalog", query).path("structuredContent");
            assertThat(first.path("answeredBy").asText()).isEqualTo("BM25");
            assertThat(first.path("note").asText()).contains("full text (BM25)");
            assertThat(first.at("/results/0/key").asText()).isEqualTo("calculate");

            Eventually.await("hybrid answers once the vectors are ready", NOTICE, () -> {
                try {
                    return client.callTool("search_catalog", query).at("/structuredContent/answeredBy").asText()
                            .equals("HYBRID");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonNode hybrid = client.callTool("search_catalog", query).path("structuredContent");
            // absent, not null: the tool's output schema says a note is a string when present
            assertThat(hybrid.has("note")).as("%s", hybrid).isFalse();
            JsonNode tool = client.call("tools/list", "{}").at("/result/tools").findParents("name").stream()
                    .filter(t -> t.path("name").asText().equals("search_catalog")).findFirst().orElseThrow();
            assertThat(tool.at("/outputSchema/required").toString()).doesNotContain("note");
            assertThat(hybrid.at("/results/0/key").asText()).isEqualTo("calculate");
            assertThat(readiness(host).body()).contains("\"vectors\":\"ready\"");
        }
    }

    private static HttpResponse<String> readiness(TestHost host) throws Exception {
        return HttpClient.newHttpClient().send(host.fullReadiness(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void searchModeListsThreeToolsThatReachEveryOther() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("mcp.toolListing", "search"), "plugboard-essentials",
                "plugboard-search")) {
            Eventually.await("the search tools", NOTICE, () -> host.hasTool("search_catalog"));
            McpClient client = new McpClient(host.mcp).initialize();
            assertThat(client.toolNames()).containsExactlyInAnyOrder("search_catalog", "describe_tool", "call_tool");

            assertThat(found(client, "compute 2 times 21", "HYBRID")).contains("calculate");
            JsonNode described = client.callTool("describe_tool", "{\"name\":\"calculate\"}").get("structuredContent");
            assertThat(described.get("name").asText()).isEqualTo("calculate");
            assertThat(described.get("inputSchema").asText()).contains("\"expression\"");
            assertThat(described.get("readOnly").asBoolean()).isTrue();

            JsonNode called = client.callTool("call_tool", "{\"name\":\"calculate\",\"arguments\":{\"expression\":\"2*21\"}}");
            assertThat(called.at("/structuredContent/result").asInt()).isEqualTo(42);

            JsonNode invalid = client.call("tools/call",
                    "{\"name\":\"call_tool\",\"arguments\":{\"name\":\"calculate\",\"arguments\":{\"expression\":7}}}");
            assertThat(invalid.at("/error/code").asInt()).as("the same check as a direct call").isEqualTo(-32602);
            assertThat(invalid.at("/error/message").asText()).contains("calculate").contains("expression");
            JsonNode unknown = client.callTool("call_tool", "{\"name\":\"no_such_tool\",\"arguments\":{}}");
            assertThat(unknown.get("isError").asBoolean()).isTrue();
            assertThat(unknown.at("/content/0/text").asText()).contains("no_such_tool").contains("search_catalog");
            JsonNode notATool = client.callTool("describe_tool", "{\"name\":\"no_such_tool\"}");
            assertThat(notATool.get("isError").asBoolean()).isTrue();
            JsonNode tooMany = client.callTool("search_catalog", "{\"query\":\"time\",\"limit\":500}");
            assertThat(tooMany.get("isError").asBoolean()).isTrue();
            assertThat(tooMany.at("/content/0/text").asText()).contains("limit");
            JsonNode noQuery = client.call("tools/call", "{\"name\":\"search_catalog\",\"arguments\":{\"mode\":\"FUZZY\"}}");
            assertThat(noQuery.at("/error/code").asInt()).isEqualTo(-32602);
        }
    }

    private static boolean holdsAnIndex(Path folder) {
        try (var files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void itsSettingsComeFromTheConfigFolderAndApplyLive() throws Exception {
        Path config = Files.createDirectories(root.resolve("config"));
        Path first = root.resolve("index-one");
        Path second = root.resolve("index-two");
        Files.writeString(config.resolve("dev.plugboard.search.cfg"), "folder=" + first + "\nfusion=nonsense\n");
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-search")) {
            Eventually.await("the search tools", NOTICE, () -> host.hasTool("search_catalog"));
            McpClient client = new McpClient(host.mcp).initialize();
            assertThat(found(client, "evaluate an arithmetic expression", "HYBRID")).first().isEqualTo("calculate");
            assertThat(holdsAnIndex(first)).as("an index in %s", first).isTrue();

            Files.writeString(config.resolve("dev.plugboard.search.cfg"), "folder=" + second + "\nfusion=blend\n");
            Eventually.await("the index to move to " + second, NOTICE, () -> holdsAnIndex(second));
            Eventually.await("search to answer again", NOTICE, () -> host.hasTool("search_catalog"));
            assertThat(found(client, "evaluate an arithmetic expression", "HYBRID")).first().isEqualTo("calculate");
        }
    }

    @Test
    void removingTheSearchBundleLeavesEverythingElseServed() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("mcp.toolListing", "search"), "plugboard-essentials",
                "plugboard-search")) {
            Eventually.await("the search tools", NOTICE, () -> host.hasTool("search_catalog"));
            McpClient client = new McpClient(host.mcp).initialize();
            try (McpClient.Stream stream = client.openStream()) {
                host.undeploy("plugboard-search.jar");
                stream.await("notifications/tools/list_changed", NOTICE);
                Eventually.await("the search bundle to be gone", () -> !host.hasTool("search_catalog"));

                assertThat(client.toolNames()).contains("calculate", "call_tool").doesNotContain("search_catalog");
                assertThat(client.callTool("calculate", "{\"expression\":\"6*7\"}").at("/structuredContent/result").asInt())
                        .isEqualTo(42);
                assertThat(host.host.readiness().ready()).isTrue();

                host.deploy("plugboard-search", "plugboard-search.jar");
                stream.await("notifications/tools/list_changed", NOTICE);
                Eventually.await("the search bundle to be back", NOTICE, () -> host.hasTool("search_catalog"));
                assertThat(client.toolNames()).containsExactlyInAnyOrder("search_catalog", "describe_tool", "call_tool");
                assertThat(found(client, "evaluate an arithmetic expression", "HYBRID")).first().isEqualTo("calculate");
            }
        }
    }
}
