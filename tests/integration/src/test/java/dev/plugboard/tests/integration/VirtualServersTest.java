package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.catalog.RegisteredTool;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual servers ({@code config/virtual-servers.json}) on a real host: each endpoint
 * {@code /servers/NAME/mcp} shows exactly the part of the one catalogue its globs select (upstream
 * and local tools, resources, prompts), in both eras, in direct and search mode, and follows live
 * edits of the file.
 */
class VirtualServersTest {

    private static final Duration NOTICE = Duration.ofSeconds(60);
    private static final String FILE = "virtual-servers.json";
    private static final String STATELESS_META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
    private static Upstreams upstreams;

    @TempDir
    Path root;

    @BeforeAll
    static void findTheUpstream() {
        upstreams = Upstreams.find();
    }

    private static URI server(TestHost host, String name) {
        return URI.create("http://127.0.0.1:" + host.host.port() + "/servers/" + name + "/mcp");
    }

    /** A 2026-07-28 request: no session, the revision in {@code _meta} and the headers. */
    private static JsonNode stateless(TestHost host, String server, String method, String name, String params)
            throws Exception {
        McpClient client = new McpClient(server(host, server));
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":{" + params
                + (params.isEmpty() ? "" : ",") + STATELESS_META + "}}";
        Map<String, String> headers = new java.util.HashMap<>(Map.of("MCP-Protocol-Version", "2026-07-28",
                "Mcp-Method", method));
        if (name != null) {
            headers.put("Mcp-Name", name);
        }
        McpClient.Reply reply = client.post(body, headers);
        assertThat(reply.status()).as("%s %s", method, reply.raw().body()).isIn(200, 400);
        return reply.message();
    }

    private static List<String> names(JsonNode listing, String field, String key) {
        List<String> out = new ArrayList<>();
        listing.path("result").path(field).forEach(e -> out.add(e.path(key).asText()));
        return out;
    }

    @Test
    void aVirtualServerShowsExactlyItsGlobsInBothErasAndRefusesTheRest() throws Exception {
        Upstreams.writeServers(root, upstreams.stdioEntry("everything", ""));
        Upstreams.write(root, FILE, """
                {"dev": {"tools": ["everything__echo", "everything__get-*", "calculate"],
                         "resources": ["demo://resource/static/*"], "prompts": ["everything__simple-prompt"],
                         "description": "Tools for developers"},
                 "finder": {"tools": ["everything__echo", "calculate"], "mode": "search"},
                 "broken": {"tools": ["*"], "mode": "fast"}}""");
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy",
                "plugboard-search")) {
            Eventually.await("the upstream's prompts", NOTICE,
                    () -> host.host.catalog().prompts().find("everything__simple-prompt").isPresent());
            Eventually.await("the upstream's resources", NOTICE, () -> !host.host.catalog().resources().all().isEmpty());
            Eventually.await("the search tools", NOTICE, () -> host.hasTool("search_catalog"));
            List<String> expected = host.host.catalog().tools().all().stream().map(RegisteredTool::name)
                    .filter(n -> n.equals("everything__echo") || n.startsWith("everything__get-") || n.equals("calculate"))
                    .sorted().toList();
            assertThat(expected).contains("everything__get-sum", "everything__get-env");

            McpClient dev = new McpClient(server(host, "dev"));
            JsonNode init = dev.post(dev.request("initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"vs-test\",\"version\":\"1\"}}")).message();
            assertThat(init.at("/result/instructions").asText()).isEqualTo("Tools for developers");
            dev.initialize();
            assertThat(dev.toolNames()).containsExactlyElementsOf(expected);
            assertThat(names(dev.call("prompts/list", "{}"), "prompts", "name"))
                    .containsExactly("everything__simple-prompt");
            List<String> resources = names(dev.call("resources/list", "{}"), "resources", "uri");
            assertThat(resources).isNotEmpty().allMatch(u -> u.startsWith("demo://resource/static/"));
            assertThat(names(dev.call("resources/templates/list", "{}"), "resourceTemplates", "uriTemplate")).isEmpty();

            assertThat(dev.callTool("everything__echo", "{\"message\":\"virtual\"}").at("/content/0/text").asText())
                    .isEqualTo("Echo: virtual");
            assertThat(dev.callTool("calculate", "{\"expression\":\"6*7\"}").at("/structuredContent/result").asInt())
                    .isEqualTo(42);
            JsonNode outside = dev.call("tools/call", "{\"name\":\"base64_encode\",\"arguments\":{\"text\":\"x\"}}");
            assertThat(outside.at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(outside.at("/error/message").asText()).isEqualTo("Unknown tool: base64_encode");
            assertThat(dev.call("tools/call", "{\"name\":\"everything__add\",\"arguments\":{}}").at("/error/code").asInt())
                    .isEqualTo(-32602);
            assertThat(dev.call("prompts/get", "{\"name\":\"everything__args-prompt\",\"arguments\":{\"city\":\"x\"}}")
                    .at("/error/message").asText()).isEqualTo("Unknown prompt: everything__args-prompt");
            assertThat(dev.call("resources/read", "{\"uri\":\"demo://resource/dynamic/text/1\"}").at("/error/code").asInt())
                    .isEqualTo(-32002);
            assertThat(dev.call("resources/read", "{\"uri\":\"" + resources.get(0) + "\"}").at("/result/contents/0/uri")
                    .asText()).isEqualTo(resources.get(0));

            // the stateless revision on the same endpoint
            assertThat(names(stateless(host, "dev", "tools/list", null, ""), "tools", "name"))
                    .containsExactlyElementsOf(expected);
            JsonNode statelessOutside = stateless(host, "dev", "tools/call", "base64_encode",
                    "\"name\":\"base64_encode\",\"arguments\":{\"text\":\"x\"}");
            assertThat(statelessOutside.at("/error/code").asInt()).as("%s", statelessOutside).isEqualTo(-32602);
            assertThat(names(stateless(host, "dev", "prompts/list", null, ""), "prompts", "name"))
                    .containsExactly("everything__simple-prompt");
            assertThat(stateless(host, "dev", "prompts/get", "everything__simple-prompt",
                    "\"name\":\"everything__simple-prompt\"").at("/result/messages/0/role").asText()).isEqualTo("user");
            assertThat(stateless(host, "dev", "resources/read", resources.get(0), "\"uri\":\"" + resources.get(0) + "\"")
                    .at("/result/contents/0/uri").asText()).isEqualTo(resources.get(0));
            assertThat(stateless(host, "dev", "tools/call", "calculate",
                    "\"name\":\"calculate\",\"arguments\":{\"expression\":\"1+2\"}").at("/result/structuredContent/result")
                    .asInt()).isEqualTo(3);

            // sessions belong to their endpoint
            McpClient main = new McpClient(host.mcp).initialize();
            McpClient stranger = new McpClient(server(host, "dev"));
            stranger.sessionId = main.sessionId;
            assertThat(stranger.post(stranger.request("tools/list", "{}")).status()).isEqualTo(404);
            assertThat(main.toolNames()).contains("base64_encode");

            // search mode: the search tools and call_tool, reaching only the server's own tools
            McpClient finder = new McpClient(server(host, "finder")).initialize();
            assertThat(finder.toolNames()).containsExactlyInAnyOrder("search_catalog", "describe_tool", "call_tool");
            JsonNode found = finder.callTool("search_catalog", "{\"query\":\"encode text base64 echo calculate arithmetic\","
                    + "\"mode\":\"BM25\",\"limit\":5}");
            List<String> keys = found.at("/structuredContent/results").findValuesAsText("key");
            assertThat(keys).isNotEmpty().allMatch(k -> k.equals("everything__echo") || k.equals("calculate"));
            JsonNode everywhere = main.callTool("search_catalog", "{\"query\":\"encode text base64\",\"mode\":\"BM25\"}");
            assertThat(everywhere.at("/structuredContent/results").findValuesAsText("key")).as("the host's search is whole")
                    .contains("base64_encode");
            assertThat(finder.callTool("call_tool", "{\"name\":\"calculate\",\"arguments\":{\"expression\":\"2*21\"}}")
                    .at("/structuredContent/result").asInt()).isEqualTo(42);
            JsonNode refused = finder.callTool("call_tool", "{\"name\":\"base64_encode\",\"arguments\":{\"text\":\"x\"}}");
            assertThat(refused.path("isError").asBoolean()).isTrue();
            assertThat(refused.at("/content/0/text").asText()).startsWith("Unknown tool: base64_encode");
            JsonNode undescribed = finder.callTool("describe_tool", "{\"name\":\"base64_encode\"}");
            assertThat(undescribed.path("isError").asBoolean()).isTrue();
            assertThat(finder.callTool("describe_tool", "{\"name\":\"calculate\"}").at("/structuredContent/name").asText())
                    .isEqualTo("calculate");
            assertThat(names(stateless(host, "finder", "tools/list", null, ""), "tools", "name"))
                    .containsExactlyInAnyOrder("search_catalog", "describe_tool", "call_tool");

            // what is not served is a JSON-RPC 404 saying why
            McpClient.Reply broken = new McpClient(server(host, "broken")).post(dev.request("tools/list", "{}"));
            assertThat(broken.status()).isEqualTo(404);
            assertThat(broken.json().at("/error/message").asText())
                    .isEqualTo("Virtual server 'broken' is not served: \"mode\" must be \"direct\" or \"search\", not \"fast\"");
            McpClient.Reply unknown = new McpClient(server(host, "nope")).post(dev.request("tools/list", "{}"));
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().at("/error/message").asText()).startsWith("Unknown virtual server: 'nope'");
            McpClient.Reply odd = new McpClient(URI.create("http://127.0.0.1:" + host.host.port() + "/servers/dev/other"))
                    .post(dev.request("tools/list", "{}"));
            assertThat(odd.status()).isEqualTo(404);
            assertThat(odd.json().at("/error/code").isInt()).isTrue();
        }
    }

    private static boolean served(TestHost host, String name) {
        try {
            return new McpClient(server(host, name)).post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")
                    .status() != 404;
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String notFound(TestHost host, String name) {
        try {
            McpClient.Reply reply = new McpClient(server(host, name)).post("{\"jsonrpc\":\"2.0\",\"id\":1,"
                    + "\"method\":\"ping\"}");
            assertThat(reply.status()).isEqualTo(404);
            return reply.json().at("/error/message").asText();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void editsOfTheFileApplyLiveAndABrokenFileChangesNothing() throws Exception {
        Upstreams.write(root, FILE, "{\"calc\": {\"tools\": [\"calculate\", \"base64_*\"]}}");
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials")) {
            Eventually.await("the local tools", NOTICE, () -> host.hasTool("calculate"));
            McpClient calc = new McpClient(server(host, "calc")).initialize();
            assertThat(calc.toolNames()).containsExactly("base64_decode", "base64_encode", "calculate");

            // other globs: the session stays and hears of it
            try (McpClient.Stream stream = calc.openStream()) {
                Upstreams.write(root, FILE, "{\"calc\": {\"tools\": [\"calculate\"]}}");
                stream.await("notifications/tools/list_changed", NOTICE);
            }
            assertThat(calc.toolNames()).containsExactly("calculate");

            // a half-written file changes nothing
            Upstreams.write(root, FILE, "{\"calc\": {\"tools\": [\"calc");
            Eventually.await("the broken file to be seen", NOTICE, () -> notFound(host, "nope").contains("not valid JSON"));
            assertThat(calc.toolNames()).containsExactly("calculate");
            Upstreams.write(root, FILE, "{\"calc\": {\"tools\": [\"calculate\"]}, \"text\": {\"tools\": [\"*case*\"]}}");
            Eventually.await("the added server", NOTICE, () -> served(host, "text"));
            assertThat(new McpClient(server(host, "text")).initialize().toolNames()).containsExactly("change_case");
            assertThat(calc.toolNames()).as("an unchanged server keeps its sessions").containsExactly("calculate");

            Upstreams.write(root, FILE, "{\"text\": {\"tools\": [\"*case*\"]}}");
            Eventually.await("the removed server to go", NOTICE, () -> !served(host, "calc"));
            assertThat(calc.post(calc.request("tools/list", "{}")).status()).isEqualTo(404);
            assertThat(new McpClient(server(host, "text")).initialize().toolNames()).containsExactly("change_case");

            // a mode change starts the server again in search mode
            Upstreams.write(root, FILE, "{\"text\": {\"tools\": [\"*case*\"], \"mode\": \"search\"}}");
            Eventually.await("search mode", NOTICE, () -> {
                try {
                    return new McpClient(server(host, "text")).initialize().toolNames().contains("call_tool");
                } catch (AssertionError restarted) {
                    return false; // the session began on the server being replaced, which ended it: not yet
                } catch (java.io.IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(new McpClient(server(host, "text")).initialize().toolNames())
                    .containsExactlyInAnyOrder("change_case", "call_tool");
        }
    }
}
