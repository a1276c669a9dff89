package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code requiredRole} on an upstream ({@code mcp-servers.json}) and on a virtual server
 * ({@code virtual-servers.json}), on a real host with a real upstream: callers without the role do
 * not see the upstream's tools, prompts and resources in any listing, cannot call, render or read
 * them, and are refused the virtual server's endpoint with a 403; callers with it (or admin) can.
 */
class RequiredRolesTest {

    private static final Duration NOTICE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String STATIC_URI = "demo://resource/static/document/architecture.md";
    private static Upstreams upstreams;

    @TempDir
    Path root;

    @BeforeAll
    static void findTheUpstream() {
        upstreams = Upstreams.find();
    }

    private static McpClient session(URI uri, String key) throws Exception {
        McpClient client = new McpClient(uri);
        client.authorization = key == null ? null : "Bearer " + key;
        return client.initialize();
    }

    private static JsonNode rest(TestHost host, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.host.port() + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s", path, r.body()).isEqualTo(200);
        return McpClient.JSON.readTree(r.body());
    }

    @Test
    void entriesOfAnUpstreamAndAVirtualServerNeedTheirRole() throws Exception {
        Upstreams.writeServers(root, upstreams.stdioEntry("everything", ", \"requiredRole\": \"operator\""));
        Upstreams.write(root, "virtual-servers.json", """
                {"ops": {"tools": ["*"], "requiredRole": "operator"},
                 "calc": {"tools": ["calculate"]}}""");
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy")) {
            Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("everything__echo"));
            Eventually.await("the upstream's prompts", NOTICE,
                    () -> host.host.catalog().prompts().find("everything__simple-prompt").isPresent());
            Eventually.await("the upstream's resources", NOTICE,
                    () -> host.host.catalog().resources().find(STATIC_URI).isPresent());
            String user = host.host.security().keys().add("reader", List.of("user"), List.of("*"), null).secret();
            String operator = host.host.security().keys().add("ops", List.of("operator"), List.of("*"), null).secret();
            URI mcp = host.mcp;

            for (String key : new String[] {user, null}) { // a user's key, and the anonymous local caller
                McpClient client = session(mcp, key);
                assertThat(client.toolNames()).contains("calculate").noneMatch(n -> n.startsWith("everything__"));
                JsonNode call = client.call("tools/call", "{\"name\":\"everything__echo\",\"arguments\":{\"message\":\"x\"}}");
                assertThat(call.path("error").path("code").asInt()).as("%s", call).isEqualTo(-32602);
                assertThat(client.call("prompts/list", "{}").at("/result/prompts").toString())
                        .doesNotContain("everything__");
                assertThat(client.call("resources/list", "{}").at("/result/resources").toString())
                        .doesNotContain("demo://resource/static");
                assertThat(client.call("resources/templates/list", "{}").at("/result/resourceTemplates").toString())
                        .doesNotContain("demo://");
                JsonNode read = client.call("resources/read", "{\"uri\":\"" + STATIC_URI + "\"}");
                assertThat(read.has("error")).as("%s", read).isTrue();
                JsonNode prompt = client.call("prompts/get", "{\"name\":\"everything__simple-prompt\"}");
                assertThat(prompt.has("error")).as("%s", prompt).isTrue();
                assertThat(rest(host, "/api/v1/tools?limit=100", key).toString()).contains("calculate")
                        .doesNotContain("everything__");
            }

            McpClient ops = session(mcp, operator);
            assertThat(ops.toolNames()).contains("everything__echo", "calculate");
            assertThat(ops.callTool("everything__echo", "{\"message\":\"hi\"}").toString()).contains("hi");
            assertThat(ops.call("resources/read", "{\"uri\":\"" + STATIC_URI + "\"}").at("/result/contents/0/uri")
                    .asText()).isEqualTo(STATIC_URI);
            assertThat(rest(host, "/api/v1/tools?limit=100", operator).toString()).contains("everything__echo");

            // the virtual server that needs the role: 403 with a JSON-RPC error for the others
            URI opsServer = URI.create("http://127.0.0.1:" + host.host.port() + "/servers/ops/mcp");
            McpClient refused = new McpClient(opsServer);
            refused.authorization = "Bearer " + user;
            McpClient.Reply reply = refused.post(refused.request("initialize", "{\"protocolVersion\":\"2025-11-25\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}"));
            assertThat(reply.status()).isEqualTo(403);
            assertThat(reply.message().at("/error/message").asText()).contains("ops").contains("operator");
            assertThat(session(opsServer, operator).toolNames()).contains("everything__echo", "calculate");
            URI calc = URI.create("http://127.0.0.1:" + host.host.port() + "/servers/calc/mcp");
            assertThat(session(calc, user).toolNames()).containsExactly("calculate");

            // the role taken away by an edit: everyone sees the upstream again
            Upstreams.writeServers(root, upstreams.stdioEntry("everything", ""));
            Eventually.await("the upstream's tools for a user", NOTICE, () -> {
                try {
                    return session(mcp, user).toolNames().contains("everything__echo");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }
}
