package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upstream's resources, resource templates and prompts federated by the proxy bundle: the real
 * {@code @modelcontextprotocol/server-everything} behind a real host, compared with talking to it
 * directly, over MCP, REST and GraphQL; its {@code list_changed} reaches Plugboard's clients.
 */
class ProxyFederationTest {

    private static final Duration NOTICE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Upstreams upstreams;

    @TempDir
    Path root;

    @BeforeAll
    static void findTheUpstream() {
        upstreams = Upstreams.find();
    }

    private static List<JsonNode> all(McpClient client, String method, String field) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = client.call(method, cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}").path("result");
            page.path(field).forEach(out::add);
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return out;
    }

    private static JsonNode rest(TestHost host, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.host.port() + path));
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").method(method,
                HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(200);
        return McpClient.JSON.readTree(r.body());
    }

    @Test
    void resourcesTemplatesAndPromptsAreListedUnderThePrefixAndAnswerAsTheUpstreamDoesOverEveryDoor() throws Exception {
        int port = Upstreams.freePort();
        Process upstream = upstreams.http(port);
        try {
            Upstreams.writeServers(root, "\"remote\": {\"url\": \"http://127.0.0.1:" + port + "/mcp\"}");
            try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy")) {
                Eventually.await("the upstream's prompts", NOTICE,
                        () -> host.host.catalog().prompts().find("remote__args-prompt").isPresent());
                Eventually.await("the upstream's resources", NOTICE,
                        () -> !host.host.catalog().resources().all().isEmpty());
                McpClient direct = new McpClient(URI.create("http://127.0.0.1:" + port + "/mcp")).initialize();
                McpClient client = new McpClient(host.mcp).initialize();

                // listings: the upstream's URIs, names under the prefix
                List<JsonNode> upstreamResources = all(direct, "resources/list", "resources");
                List<JsonNode> resources = all(client, "resources/list", "resources");
                assertThat(upstreamResources).isNotEmpty();
                assertThat(resources.stream().map(r -> r.path("uri").asText()).toList())
                        .containsExactlyInAnyOrderElementsOf(upstreamResources.stream().map(r -> r.path("uri").asText()).toList());
                for (JsonNode r : resources) {
                    JsonNode original = upstreamResources.stream().filter(u -> u.path("uri").equals(r.path("uri")))
                            .findFirst().orElseThrow();
                    assertThat(r.path("name").asText()).isEqualTo("remote__" + original.path("name").asText());
                    assertThat(r.path("mimeType")).isEqualTo(original.path("mimeType"));
                }
                List<String> templates = all(client, "resources/templates/list", "resourceTemplates").stream()
                        .map(t -> t.path("uriTemplate").asText()).toList();
                assertThat(templates).containsExactlyInAnyOrderElementsOf(all(direct, "resources/templates/list",
                        "resourceTemplates").stream().map(t -> t.path("uriTemplate").asText()).toList());
                assertThat(templates).contains("demo://resource/dynamic/text/{resourceId}");
                List<String> prompts = all(client, "prompts/list", "prompts").stream().map(p -> p.path("name").asText())
                        .toList();
                assertThat(prompts).containsExactlyInAnyOrderElementsOf(all(direct, "prompts/list", "prompts").stream()
                        .map(p -> "remote__" + p.path("name").asText()).toList());

                // reads and renderings equal the upstream's own answers
                String staticUri = upstreamResources.get(0).path("uri").asText();
                String read = "{\"uri\":\"" + staticUri + "\"}";
                assertThat(client.call("resources/read", read).path("result"))
                        .isEqualTo(direct.call("resources/read", read).path("result"));
                JsonNode dynamic = client.call("resources/read", "{\"uri\":\"demo://resource/dynamic/text/3\"}");
                assertThat(dynamic.at("/result/contents/0/uri").asText()).isEqualTo("demo://resource/dynamic/text/3");
                assertThat(dynamic.at("/result/contents/0/text").asText())
                        .startsWith("Resource 3: This is a plaintext resource created at");
                JsonNode missing = client.call("resources/read", "{\"uri\":\"demo://nowhere/at/all\"}");
                assertThat(missing.at("/error/code").asInt()).isEqualTo(-32002);

                String args = "{\"name\":\"args-prompt\",\"arguments\":{\"city\":\"Lyon\",\"state\":\"Rhône\"}}";
                JsonNode rendered = client.call("prompts/get", args.replace("args-prompt", "remote__args-prompt"));
                assertThat(rendered.path("result")).isEqualTo(direct.call("prompts/get", args).path("result"));
                assertThat(rendered.at("/result/messages/0/content/text").asText()).isEqualTo("What's weather in Lyon, Rhône?");
                JsonNode simple = client.call("prompts/get", "{\"name\":\"remote__simple-prompt\"}");
                assertThat(simple.path("result")).isEqualTo(direct.call("prompts/get", "{\"name\":\"simple-prompt\"}")
                        .path("result"));
                JsonNode noCity = client.call("prompts/get", "{\"name\":\"remote__args-prompt\",\"arguments\":{}}");
                assertThat(noCity.at("/error/code").asInt()).as("%s", noCity).isEqualTo(-32602);
                assertThat(noCity.toString()).doesNotContain("Exception").doesNotContain("at dev.plugboard");

                // completion is answered by the upstream
                JsonNode completed = client.call("completion/complete", "{\"ref\":{\"type\":\"ref/prompt\","
                        + "\"name\":\"remote__completable-prompt\"},\"argument\":{\"name\":\"department\",\"value\":\"E\"}}");
                assertThat(completed.at("/result/completion/values")).as("%s", completed).hasSize(1);
                assertThat(completed.at("/result/completion/values/0").asText()).isEqualTo("Engineering");

                // REST and GraphQL serve the same entries
                JsonNode restResources = rest(host, "GET", "/api/v1/resources", null);
                assertThat(restResources.toString()).contains(staticUri).contains("remote__");
                JsonNode restRead = rest(host, "GET", "/api/v1/resources/read?uri="
                        + URLEncoder.encode(staticUri, StandardCharsets.UTF_8), null);
                assertThat(restRead.toString()).contains(direct.call("resources/read", read)
                        .at("/result/contents/0/text").asText().substring(0, 20).replace("\"", "\\\""));
                JsonNode restPrompt = rest(host, "POST", "/api/v1/prompts/remote__args-prompt/render", "{\"city\":\"Oslo\"}");
                assertThat(restPrompt.toString()).contains("What's weather in Oslo?");
                GraphqlClient graphql = new GraphqlClient(host.host.port());
                GraphqlClient.Answer answer = graphql.post("{ prompts { items { name } } templates { items { uriTemplate } }"
                        + " read: readResource(uri: \"demo://resource/dynamic/text/2\") { contents } }");
                assertThat(answer.body().path("errors").isMissingNode()).as("%s", answer.body()).isTrue();
                assertThat(answer.data("/prompts/items").findValuesAsText("name")).contains("remote__simple-prompt");
                assertThat(answer.data("/templates/items").findValuesAsText("uriTemplate"))
                        .contains("demo://resource/dynamic/text/{resourceId}");
                assertThat(answer.data("/read/contents/0/text").asText()).startsWith("Resource 2:");
                GraphqlClient.Answer mutation = graphql.post("mutation { renderPrompt(name: \"remote__args-prompt\","
                        + " arguments: {city: \"Rome\"}) { messages } }");
                assertThat(mutation.data("/renderPrompt/messages/0/content/text").asText()).isEqualTo("What's weather in Rome?");

                // health counts them
                JsonNode health = McpClient.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + host.host.port() + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).at("/plugins/proxy/upstreams/remote");
                assertThat(health.path("prompts").asInt()).isEqualTo(prompts.size());
                assertThat(health.path("resourceTemplates").asInt()).isEqualTo(templates.size());
            }
        } finally {
            upstream.destroyForcibly();
        }
    }

    private static JsonNode proxyModule(JsonNode modules) {
        for (JsonNode m : modules) {
            if (m.path("name").asText().equals("dev.plugboard.proxy")) {
                return m;
            }
        }
        throw new AssertionError("no proxy module in " + modules);
    }

    @Test
    void anUpstreamsListChangedReachesTheClientAndACollidingUriIsReportedNotShadowed() throws Exception {
        Upstreams.writeServers(root, upstreams.stdioEntry("everything", ""));
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy")) {
            Eventually.await("the upstream's prompts", NOTICE,
                    () -> host.host.catalog().prompts().find("everything__simple-prompt").isPresent());
            McpClient client = new McpClient(host.mcp).initialize();
            String session = "demo://resource/session/federated.txt";
            assertThat(all(client, "resources/list", "resources")).noneMatch(r -> r.path("uri").asText().equals(session));
            try (McpClient.Stream stream = client.openStream()) {
                JsonNode made = client.callTool("everything__gzip-file-as-resource",
                        "{\"name\":\"federated.txt\",\"data\":\"data:text/plain;base64,aGVsbG8gZmVkZXJhdGlvbg==\"}");
                assertThat(made.path("isError").asBoolean()).as("%s", made).isFalse();
                stream.await("notifications/resources/list_changed", NOTICE);
            }
            Eventually.await("the new resource to be listed", NOTICE,
                    () -> host.host.catalog().resources().find(session).isPresent());
            JsonNode read = client.call("resources/read", "{\"uri\":\"" + session + "\"}");
            assertThat(read.at("/result/contents/0/uri").asText()).isEqualTo(session);
            assertThat(read.at("/result/contents/0/blob").asText()).isNotEmpty();

            // a second upstream with the same URIs: its resources are reported, the first one's stay
            Upstreams.writeServers(root, upstreams.stdioEntry("everything", ""),
                    upstreams.stdioEntry("again", ""));
            Eventually.await("the second upstream's prompts", NOTICE,
                    () -> host.host.catalog().prompts().find("again__simple-prompt").isPresent());
            Eventually.await("the collision in health", NOTICE, () -> {
                try {
                    return McpClient.JSON.readTree(HTTP.send(host.fullReadiness(), HttpResponse.BodyHandlers.ofString())
                            .body())
                            .at("/plugins/proxy/upstreams/again/resourceProblems").toString().contains("already offered");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(host.host.catalog().templates().find("demo://resource/dynamic/text/{resourceId}").orElseThrow()
                    .provider()).isSameAs(host.host.catalog().prompts().find("everything__simple-prompt").orElseThrow()
                    .provider());
            assertThat(client.call("prompts/get", "{\"name\":\"again__simple-prompt\"}").at("/result/messages"))
                    .isNotEmpty();

            // what the proxy could not use is in its module's state, over GraphQL and REST
            Upstreams.writeServers(root, upstreams.stdioEntry("everything", ""), upstreams.stdioEntry("again", ""),
                    "\"broken\": {\"args\": [\"no command\"]}");
            GraphqlClient graphql = new GraphqlClient(host.host.port());
            Eventually.await("the broken entry in the module's problems", NOTICE, () -> {
                try {
                    return proxyModule(graphql.post("{ modules { name problems } }").data("/modules")).path("problems")
                            .toString().contains("Upstream broken in mcp-servers.json is not used");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            JsonNode problems = proxyModule(graphql.post("{ modules { name problems } }").data("/modules")).path("problems");
            assertThat(problems.toString()).contains("Resource template 'demo://resource/dynamic/text/{resourceId}' of"
                    + " again is not offered");
            String key = java.nio.file.Files.readString(root.resolve("data/admin.key")).trim();
            HttpResponse<String> modules = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + host.host.port() + "/api/v1/modules")).header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(modules.statusCode()).isEqualTo(200);
            assertThat(modules.body()).contains("Upstream broken in mcp-servers.json is not used");
        }
    }
}
