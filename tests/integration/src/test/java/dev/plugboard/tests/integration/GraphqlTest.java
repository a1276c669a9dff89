package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /graphql} on a real host with real bundles: every query and mutation over real HTTP, the
 * bad inputs, and subscriptions over a real WebSocket with the graphql-transport-ws protocol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphqlTest {

    TestHost host;
    GraphqlClient client;
    String adminKey;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-conformance", "fixture-hello-v1");
        client = new GraphqlClient(host.host.port());
        adminKey = Files.readString(root.resolve("data").resolve("admin.key")).strip();
    }

    @AfterAll
    void stop() {
        host.close();
    }

    private String bearer() {
        return "Bearer " + adminKey;
    }

    // ---- schema and GraphiQL ----

    @Test
    void theSchemaIsServedAsShipped() throws Exception {
        HttpResponse<String> sdl = client.raw(HttpRequest.newBuilder(URI.create(client.endpoint + "/schema.graphql"))
                .GET().build());
        assertThat(sdl.statusCode()).isEqualTo(200);
        assertThat(sdl.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(sdl.body()).contains("type Query", "callTool(", "catalogChanged", "scalar JSON");
    }

    @Test
    void browsersGetGraphiqlFromTheServerItself() throws Exception {
        HttpResponse<String> page = client.raw(HttpRequest.newBuilder(client.endpoint)
                .header("Accept", "text/html,application/xhtml+xml").GET().build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("/graphql/assets/graphiql.min.js").doesNotContain("https://")
                .doesNotContainPattern("<script>[^<]");
        for (String asset : List.of("graphiql.min.js", "graphiql.min.css", "react.production.min.js",
                "react-dom.production.min.js", "start.js")) {
            HttpResponse<String> file = client.raw(HttpRequest.newBuilder(URI.create(client.endpoint + "/assets/"
                    + asset)).GET().build());
            assertThat(file.statusCode()).as(asset).isEqualTo(200);
            assertThat(file.body()).as(asset).isNotEmpty();
        }
        assertThat(client.raw(HttpRequest.newBuilder(URI.create(client.endpoint + "/assets/nothing.js")).GET().build())
                .statusCode()).isEqualTo(404);
    }

    // ---- queries ----

    @Test
    void toolsArePagedFilteredAndSearchedByText() throws Exception {
        GraphqlClient.Answer all = client.post("{ tools { items { name title inputSchema annotations }"
                + " pageInfo { hasNextPage endCursor } } }");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().has("errors")).as(all.status() + " " + all.contentType() + " " + all.raw().body()).isFalse();
        assertThat(names(all.data("/tools/items"))).as(all.status() + " " + all.contentType() + " " + all.raw().body()).contains("hello", "slow", "calculate");
        assertThat(all.data("/tools/items").findValue("inputSchema").path("type").asText()).isEqualTo("object");

        GraphqlClient.Answer hello = client.post("{ tools(bundle: \"dev.plugboard.fixtures.hello\") { items { name } } }");
        assertThat(names(hello.data("/tools/items"))).containsExactlyInAnyOrder("hello", "slow");

        GraphqlClient.Answer readOnly = client.post("{ tools(readOnly: true) { items { name annotations } } }");
        readOnly.data("/tools/items").forEach(t -> assertThat(t.at("/annotations/readOnlyHint").asBoolean()).isTrue());
        assertThat(names(readOnly.data("/tools/items"))).doesNotContain("hello");

        GraphqlClient.Answer found = client.post("{ tools(q: \"SAYS HELLO\") { items { name description } } }");
        assertThat(names(found.data("/tools/items"))).containsExactly("hello");

        GraphqlClient.Answer badCursor = client.post("{ tools(after: \"not-a-cursor\") { items { name } } }");
        assertThat(badCursor.code()).isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void oneToolWithItsSchemasOrNull() throws Exception {
        GraphqlClient.Answer tool = client.post("query($n: String!) { tool(name: $n) { name description inputSchema } }",
                Map.of("n", "hello"), null);
        assertThat(tool.data("/tool/name").asText()).isEqualTo("hello");
        assertThat(tool.data("/tool/inputSchema/properties/name/type").asText()).isEqualTo("string");
        GraphqlClient.Answer none = client.post("{ tool(name: \"nope\") { name } }");
        assertThat(none.data("/tool").isNull()).as(none.body().toString()).isTrue();
    }

    @Test
    void resourcesTemplatesPromptsAndCompletion() throws Exception {
        GraphqlClient.Answer answer = client.post("{ resources { items { uri name mimeType } pageInfo { hasNextPage } }"
                + " templates { items { uriTemplate name } } prompts { items { name arguments { name required } } } }");
        assertThat(answer.body().has("errors")).isFalse();
        assertThat(answer.data("/resources/items").findValuesAsText("uri")).contains("test://static-text");
        assertThat(answer.data("/templates/items").findValuesAsText("uriTemplate")).contains("test://template/{id}/data");
        assertThat(answer.data("/prompts/items").findValuesAsText("name")).contains("test_prompt_with_arguments");

        GraphqlClient.Answer read = client.post("{ readResource(uri: \"test://static-text\") { contents } }");
        assertThat(read.data("/readResource/contents/0/text").asText()).isNotEmpty();
        GraphqlClient.Answer templated = client.post("{ readResource(uri: \"test://template/42/data\") { contents } }");
        assertThat(templated.data("/readResource/contents/0/uri").asText()).isEqualTo("test://template/42/data");
        assertThat(client.post("{ readResource(uri: \"test://nothing-here\") { contents } }").code())
                .isEqualTo("NOT_FOUND");

        GraphqlClient.Answer completion = client.post("{ complete(ref: {type: \"ref/prompt\", name:"
                + " \"test_prompt_with_arguments\"}, argument: \"arg1\", value: \"pa\") { values hasMore } }");
        assertThat(completion.data("/complete/values").findValuesAsText("")).isEmpty();
        List<String> values = new ArrayList<>();
        completion.data("/complete/values").forEach(v -> values.add(v.asText()));
        assertThat(values).contains("paris", "park").doesNotContain("test");
    }

    @Test
    void searchWithoutTheSearchBundleSaysWhy() throws Exception {
        GraphqlClient.Answer search = client.post("{ search(q: \"time\") { key score } }");
        assertThat(search.code()).isEqualTo("UNAVAILABLE");
        assertThat(search.body().at("/errors/0/message").asText()).contains("search plugin");
    }

    @Test
    void modulesAndHealth() throws Exception {
        GraphqlClient.Answer answer = client.post("{ health { ready status modules { name } }"
                + " modules { name version state file tools resources prompts error problems } }");
        assertThat(answer.data("/health/ready").asBoolean()).isTrue();
        assertThat(answer.data("/health/status").asText()).isEqualTo("UP");
        JsonNode hello = find(answer.data("/modules"), "dev.plugboard.fixtures.hello");
        assertThat(hello.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(hello.path("file").asText()).endsWith(".jar");
        assertThat(names(hello.path("tools"))).containsExactlyInAnyOrder("hello", "slow");
    }

    // ---- mutations ----

    @Test
    void callToolAndRenderPrompt() throws Exception {
        GraphqlClient.Answer call = client.post("mutation($a: JSON) { callTool(name: \"hello\", arguments: $a)"
                + " { content structuredContent isError } }", Map.of("a", Map.of("name", "Ann")), null);
        assertThat(call.data("/callTool/content/0/text").asText()).as(call.body().toString())
                .isEqualTo("Hello, Ann! (v1)");
        assertThat(call.data("/callTool/isError").asBoolean()).isFalse();

        GraphqlClient.Answer literal = client.post("mutation { callTool(name: \"calculate\", arguments:"
                + " {expression: \"6*7\"}) { content } }");
        assertThat(literal.data("/callTool/content/0/text").asText()).contains("42");

        GraphqlClient.Answer rendered = client.post("mutation { renderPrompt(name: \"test_prompt_with_arguments\","
                + " arguments: {arg1: \"a\", arg2: \"b\"}) { messages } }");
        assertThat(rendered.data("/renderPrompt/messages/0/content/text").asText())
                .isEqualTo("Prompt with arguments: arg1='a', arg2='b'");
        assertThat(client.post("mutation { renderPrompt(name: \"nope\") { messages } }").code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void badToolCallsAreTypedErrors() throws Exception {
        GraphqlClient.Answer wrongType = client.post("mutation { callTool(name: \"hello\", arguments: {name: 5})"
                + " { content } }");
        assertThat(wrongType.code()).isEqualTo("BAD_USER_INPUT");
        assertThat(wrongType.body().at("/errors/0/extensions/violations/0/pointer").asText()).isEqualTo("/name");
        assertThat(wrongType.body().at("/errors/0/path/0").asText()).isEqualTo("callTool");

        assertThat(client.post("mutation { callTool(name: \"nope\") { content } }").code()).isEqualTo("NOT_FOUND");
        assertThat(client.post("mutation { callTool(name: \"hello\", arguments: [1, 2]) { content } }").code())
                .isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void adminMutationsNeedTheAdminKey() throws Exception {
        String stop = "mutation { stopModule(name: \"dev.plugboard.fixtures.hello\") { state } }";
        GraphqlClient.Answer none = client.post(stop);
        assertThat(none.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(none.body().at("/errors/0/message").asText()).contains("Authorization: Bearer");
        assertThat(client.post(stop, Map.of(), "Bearer wrong-key").code()).isEqualTo("UNAUTHENTICATED");
        assertThat(client.post("{ config(pid: \"x\") { pid } }").code()).isEqualTo("UNAUTHENTICATED");
        assertThat(host.hasTool("hello")).isTrue();
    }

    @Test
    void adminStopsStartsUpdatesRemovesAndInstallsModules() throws Exception {
        String name = "dev.plugboard.fixtures.hello";
        GraphqlClient.Answer stopped = client.post("mutation($n: String!) { stopModule(name: $n) { state tools } }",
                Map.of("n", name), bearer());
        assertThat(stopped.data("/stopModule/state").asText()).isEqualTo("RESOLVED");
        Eventually.await("hello to leave the catalogue", () -> !host.hasTool("hello"));

        GraphqlClient.Answer started = client.post("mutation($n: String!) { startModule(name: $n) { state } }",
                Map.of("n", name), bearer());
        assertThat(started.data("/startModule/state").asText()).isEqualTo("ACTIVE");
        Eventually.await("hello to come back", () -> host.hasTool("hello"));

        String v2 = Base64.getEncoder().encodeToString(Files.readAllBytes(TestHost.bundle("fixture-hello-v2")));
        GraphqlClient.Answer updated = client.post("mutation($n: String!, $j: String!) { updateModule(name: $n,"
                + " jarBase64: $j) { version tools } }", Map.of("n", name, "j", v2), bearer());
        assertThat(updated.data("/updateModule/version").asText()).isEqualTo("2.0.0");
        assertThat(client.post("mutation { callTool(name: \"hello\", arguments: {name: \"Bo\"}) { content } }")
                .data("/callTool/content/0/text").asText()).isEqualTo("Hello, Bo! (v2)");

        GraphqlClient.Answer removed = client.post("mutation($n: String!) { removeModule(name: $n) }",
                Map.of("n", name), bearer());
        assertThat(removed.data("/removeModule").asBoolean()).isTrue();
        Eventually.await("hello to be gone", () -> !host.hasTool("hello"));
        assertThat(client.post("mutation($n: String!) { removeModule(name: $n) }", Map.of("n", name), bearer()).code())
                .isEqualTo("NOT_FOUND");

        String v1 = Base64.getEncoder().encodeToString(Files.readAllBytes(TestHost.bundle("fixture-hello-v1")));
        GraphqlClient.Answer installed = client.post("mutation($j: String!) { installModule(jarBase64: $j)"
                + " { name version state } }", Map.of("j", v1), bearer());
        assertThat(installed.data("/installModule/state").asText()).isEqualTo("ACTIVE");
        Eventually.await("hello to be back", () -> host.hasTool("slow"));

        GraphqlClient.Answer notAJar = client.post("mutation { installModule(jarBase64: \"aGVsbG8=\") { name } }",
                Map.of(), bearer());
        assertThat(notAJar.code()).isEqualTo("BAD_USER_INPUT");
        assertThat(notAJar.body().at("/errors/0/extensions/reason").asText()).isEqualTo("not-a-jar");
        assertThat(client.post("mutation { installModule(url: \"http://example.com/x.jar\") { name } }", Map.of(),
                bearer()).code()).isEqualTo("FORBIDDEN");
        assertThat(client.post("mutation { installModule { name } }", Map.of(), bearer()).code())
                .isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void adminReadsAndWritesPluginConfiguration() throws Exception {
        GraphqlClient.Answer set = client.post("mutation { setConfig(pid: \"dev.plugboard.graphql.test\","
                + " properties: {greeting: \"hi\", count: 3}) { pid properties } }", Map.of(), bearer());
        assertThat(set.body().has("errors")).as(set.body().toString()).isFalse();
        assertThat(set.data("/setConfig/properties/greeting").asText()).isEqualTo("hi");
        assertThat(set.data("/setConfig/properties/count").asText()).isEqualTo("3");
        GraphqlClient.Answer read = client.post("{ config(pid: \"dev.plugboard.graphql.test\") { properties } }",
                Map.of(), bearer());
        assertThat(read.data("/config/properties/greeting").asText()).isEqualTo("hi");
        assertThat(client.post("{ config(pid: \"dev.plugboard.none\") { pid } }", Map.of(), bearer()).code())
                .isEqualTo("NOT_FOUND");
        assertThat(client.post("mutation { setConfig(pid: \"x\", properties: [1]) { pid } }", Map.of(), bearer())
                .code()).isEqualTo("BAD_USER_INPUT");
    }

    // ---- bad requests ----

    @Test
    void documentsThatDoNotParseOrValidate() throws Exception {
        GraphqlClient.Answer syntax = client.post("{ tools { items { name }");
        assertThat(syntax.status()).isEqualTo(200);
        assertThat(syntax.code()).isEqualTo("GRAPHQL_PARSE_FAILED");
        assertThat(syntax.body().has("data")).isFalse();

        GraphqlClient.Answer unknown = client.post("{ tools { items { name colour } } }");
        assertThat(unknown.code()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        assertThat(unknown.body().at("/errors/0/message").asText()).contains("colour");

        GraphqlClient.Answer spec = client.send(HttpRequest.newBuilder(client.endpoint)
                .header("Content-Type", "application/json").header("Accept", "application/graphql-response+json"),
                "{\"query\":\"{ nope }\"}", null);
        assertThat(spec.status()).isEqualTo(400);
        assertThat(spec.contentType()).startsWith("application/graphql-response+json");
        assertThat(spec.code()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
    }

    @Test
    void wrongVariableTypesAreBadUserInput() throws Exception {
        GraphqlClient.Answer answer = client.post("query($l: Int) { tools(q: \"x\", limit: $l) { items { name } } }",
                Map.of("l", "many"), null);
        assertThat(answer.code()).isEqualTo("BAD_USER_INPUT");
        GraphqlClient.Answer missing = client.post("query($n: String!) { tool(name: $n) { name } }");
        assertThat(missing.code()).isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void tooDeepAndTooComplexDocumentsAreRefused() throws Exception {
        // Deeper than the limit (15), within graphql-java's bound for introspection (20).
        String deep = "{ __schema { types { fields { type " + "{ ofType ".repeat(12) + "{ name }" + " }".repeat(12)
                + " } } } }";
        GraphqlClient.Answer tooDeep = client.post(deep);
        assertThat(tooDeep.code()).as(tooDeep.body().toString()).isEqualTo("QUERY_TOO_DEEP");

        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 5; i++) {
            wide.append(" t").append(i).append(": tools { items { name title description inputSchema outputSchema"
                    + " annotations } }");
        }
        GraphqlClient.Answer tooComplex = client.post(wide.append(" }").toString());
        assertThat(tooComplex.code()).as(tooComplex.status() + " " + tooComplex.contentType() + " " + tooComplex.raw().body()).isEqualTo("QUERY_TOO_COMPLEX");

        // GraphiQL's own introspection passes.
        GraphqlClient.Answer introspection = client.post("{ __schema { types { name fields { name type { name kind"
                + " ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind"
                + " ofType { name kind ofType { name kind } } } } } } } } } } } }");
        assertThat(introspection.body().has("errors")).as(introspection.body().toString()).isFalse();
    }

    @Test
    void getServesQueriesOnly() throws Exception {
        GraphqlClient.Answer query = client.get("{ tool(name: \"hello\") { name } }", "application/json");
        assertThat(query.status()).isEqualTo(200);
        assertThat(query.data("/tool/name").asText()).isEqualTo("hello");

        GraphqlClient.Answer mutation = client.get("mutation { removeModule(name: \"x\") }", "application/json");
        assertThat(mutation.status()).isEqualTo(405);
        assertThat(mutation.raw().headers().firstValue("Allow")).hasValue("POST");
        assertThat(mutation.code()).isEqualTo("BAD_USER_INPUT");

        HttpResponse<String> noQuery = client.raw(HttpRequest.newBuilder(client.endpoint)
                .header("Accept", "application/json").GET().build());
        assertThat(noQuery.statusCode()).isEqualTo(400);
    }

    @Test
    void malformedHttpRequests() throws Exception {
        HttpResponse<String> notJson = client.raw(HttpRequest.newBuilder(client.endpoint)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{oops")).build());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("BAD_USER_INPUT").doesNotContain("Jackson", "Exception", "at [Source");

        HttpResponse<String> text = client.raw(HttpRequest.newBuilder(client.endpoint)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{ tools }")).build());
        assertThat(text.statusCode()).isEqualTo(415);

        HttpResponse<String> noQuery = client.raw(HttpRequest.newBuilder(client.endpoint)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"q\":1}")).build());
        assertThat(noQuery.statusCode()).isEqualTo(400);

        HttpResponse<String> xml = client.raw(HttpRequest.newBuilder(client.endpoint).header("Accept", "application/xml")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{health{ready}}\"}"))
                .build());
        assertThat(xml.statusCode()).isEqualTo(406);

        HttpResponse<String> put = client.raw(HttpRequest.newBuilder(client.endpoint)
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(put.statusCode()).isEqualTo(405);

        GraphqlClient.Answer subscription = client.post("subscription { catalogChanged { kinds } }");
        assertThat(subscription.status()).isEqualTo(400);
        assertThat(subscription.body().at("/errors/0/message").asText()).contains("WebSocket");

        HttpResponse<String> foreign = client.raw(HttpRequest.newBuilder(client.endpoint)
                .header("Origin", "https://evil.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{health{ready}}\"}")).build());
        assertThat(foreign.statusCode()).isEqualTo(403);
    }

    // ---- subscriptions over WebSocket ----

    @Test
    void catalogChangesAndModuleEventsReachSubscribers() throws Exception {
        GraphqlClient.Socket socket = client.socket(Map.of());
        socket.init();
        socket.subscribe("cat", "subscription { catalogChanged { id kinds time } }");
        socket.subscribe("mod", "subscription { moduleEvents { id type module version file } }");
        // Both subscriptions are live once a ping sent after them is answered.
        socket.send("{\"type\":\"ping\"}");
        assertThat(socket.next().path("type").asText()).isEqualTo("pong");

        // Not the greeter: its "greet" would wait behind the conformance fixture's tool of that name.
        host.deploy("fixture-results", "results.jar");
        JsonNode catalog = null;
        JsonNode module = null;
        while (catalog == null || module == null) {
            JsonNode message = socket.next();
            assertThat(message.path("type").asText()).isEqualTo("next");
            if (message.path("id").asText().equals("cat") && message.at("/payload/data/catalogChanged/kinds")
                    .toString().contains("tools")) {
                catalog = message;
            } else if (message.path("id").asText().equals("mod") && message.at("/payload/data/moduleEvents/file")
                    .asText().equals("results.jar")) {
                module = message;
            }
        }
        assertThat(module.at("/payload/data/moduleEvents/type").asText()).isIn("module.installed", "module.started");
        assertThat(module.at("/payload/data/moduleEvents/module").asText()).isEqualTo("dev.plugboard.fixtures.results");
        socket.send("{\"id\":\"cat\",\"type\":\"complete\"}");
        socket.send("{\"id\":\"mod\",\"type\":\"complete\"}");
        socket.ws.sendClose(1000, "done").join();
        assertThat(socket.closeCode()).isEqualTo(1000);
        host.undeploy("results.jar");
        Eventually.await("the results fixture to be gone", () -> !host.hasTool("cyclic"));
    }

    @Test
    void toolProgressStreamsTheProgressOfACallById() throws Exception {
        GraphqlClient.Socket socket = client.socket(Map.of());
        socket.init();
        socket.subscribe("p", "subscription { toolProgress(callId: \"call-1\") { callId progress total message } }");
        socket.send("{\"type\":\"ping\"}");
        assertThat(socket.next().path("type").asText()).isEqualTo("pong");

        GraphqlClient.Answer call = client.post("mutation { callTool(name: \"slow\", arguments: {millis: 100},"
                + " callId: \"call-1\") { content } }");
        assertThat(call.data("/callTool/content/0/text").asText()).isEqualTo("worked 100 ms");
        List<Double> progress = new ArrayList<>();
        while (true) {
            JsonNode message = socket.next();
            if (message.path("type").asText().equals("complete")) {
                assertThat(message.path("id").asText()).isEqualTo("p");
                break;
            }
            assertThat(message.at("/payload/data/toolProgress/callId").asText()).isEqualTo("call-1");
            assertThat(message.at("/payload/data/toolProgress/total").asDouble()).isEqualTo(10.0);
            progress.add(message.at("/payload/data/toolProgress/progress").asDouble());
        }
        assertThat(progress).hasSize(10).isSorted();

        // Queries and mutations run over the socket too: one next, then complete.
        socket.subscribe("q", "{ tool(name: \"hello\") { name } }");
        JsonNode next = socket.next();
        assertThat(next.at("/payload/data/tool/name").asText()).isEqualTo("hello");
        assertThat(socket.next().path("type").asText()).isEqualTo("complete");

        // A document the schema refuses gets an error message, and the connection stays.
        socket.subscribe("bad", "subscription { nothing }");
        JsonNode error = socket.next();
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/payload/0/extensions/code").asText()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        socket.send("{\"type\":\"ping\"}");
        assertThat(socket.next().path("type").asText()).isEqualTo("pong");
        socket.ws.sendClose(1000, "done").join();
    }

    @Test
    void protocolViolationsCloseTheSocketWithTheirCodes() throws Exception {
        GraphqlClient.Socket early = client.socket(Map.of());
        early.subscribe("1", "{ health { ready } }");
        assertThat(early.closeCode()).isEqualTo(4401);

        GraphqlClient.Socket twice = client.socket(Map.of());
        twice.init();
        twice.send("{\"type\":\"connection_init\"}");
        assertThat(twice.closeCode()).isEqualTo(4429);

        GraphqlClient.Socket duplicate = client.socket(Map.of());
        duplicate.init();
        duplicate.subscribe("same", "subscription { catalogChanged { id } }");
        duplicate.subscribe("same", "subscription { catalogChanged { id } }");
        assertThat(duplicate.closeCode()).isEqualTo(4409);

        GraphqlClient.Socket garbage = client.socket(Map.of());
        garbage.send("not json");
        assertThat(garbage.closeCode()).isEqualTo(4400);

        GraphqlClient.Socket unknown = client.socket(Map.of());
        unknown.init();
        unknown.send("{\"type\":\"subscribe\",\"id\":\"x\",\"payload\":{\"query\":5}}");
        assertThat(unknown.closeCode()).isEqualTo(4400);

        GraphqlClient.Socket silent = client.socket(Map.of());
        assertThat(silent.closeCode()).isEqualTo(4408);
    }

    @Test
    void theUpgradePassesTheSameHostAndOriginChecks() {
        CompletionException foreign = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> client.socket(Map.of("Origin", "https://evil.example")));
        assertThat(foreign.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
        assertThat(((java.net.http.WebSocketHandshakeException) foreign.getCause()).getResponse().statusCode())
                .isEqualTo(403);

        GraphqlClient.Socket local = client.socket(Map.of("Origin", "http://localhost:3000"));
        local.ws.sendClose(1000, "done").join();
    }

    private static List<String> names(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(item -> out.add(item.isTextual() ? item.asText() : item.path("name").asText()));
        return out;
    }

    private static JsonNode find(JsonNode modules, String name) {
        for (JsonNode module : modules) {
            if (module.path("name").asText().equals(name)) {
                return module;
            }
        }
        throw new AssertionError("no module " + name + " in " + modules);
    }
}
