package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API over real HTTP against a real host with first-party and fixture bundles: every
 * endpoint, every class of bad input, and every JSON answer checked against the schemas of the
 * OpenAPI document the server itself serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestHost host;
    private String base;
    private HttpClient http;
    private JsonNode openApi;
    private String openApiText;
    private SchemaRegistry schemas;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        // One call at a time per tool, so that a held call makes the next one busy.
        host = TestHost.start(root, Map.of("tools.maxConcurrentCalls", "1", "http.maxBodyBytes", "65536", "deploy.pollMillis", "100"),
                "plugboard-conformance", "plugboard-essentials", "fixture-hello-v1");
        base = "http://127.0.0.1:" + host.host.port();
        // HTTP/1.1 as the server speaks it; UpgradeOfferTest covers clients that offer HTTP/2.
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Eventually.await("the fixture's tools", () -> host.hasTool("slow") && host.hasTool("test_simple_text"));
        Answer doc = get("/api/v1/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        openApiText = doc.body();
        openApi = JSON.readTree(openApiText);
        schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    }

    @AfterAll
    void stop() {
        host.close();
    }

    record Answer(int status, String contentType, String body, HttpResponse<String> response) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
    }

    private Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)));
    }

    private Answer post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Checks an answer against the schema the document gives for its path, method and status. */
    private void conforms(Answer a, String path, String method) {
        String status = Integer.toString(a.status());
        JsonNode response = openApi.path("paths").path(path).path(method).path("responses").path(status);
        assertThat(response.isMissingNode()).as("the document lists %s %s %s", method, path, status).isFalse();
        String pointer;
        if (response.has("$ref")) {
            assertThat(a.contentType()).startsWith("application/problem+json");
            pointer = "#/components/schemas/Problem";
        } else {
            assertThat(a.contentType()).startsWith("application/json");
            pointer = "#/paths/" + escape(path) + "/" + method + "/responses/" + status
                    + "/content/application~1json/schema";
        }
        // The document is the schema resource, so $refs into its components resolve.
        String wrapper = openApiText.substring(0, openApiText.lastIndexOf('}')) + ",\"$ref\":\"" + pointer + "\"}";
        Schema schema = schemas.getSchema(wrapper, InputFormat.JSON);
        assertThat(schema.validate(a.body(), InputFormat.JSON)).as("%s %s answered %s", method, path, a.body())
                .isEmpty();
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
    }

    private static void noInternals(Answer a) {
        assertThat(a.body()).doesNotContain("Exception", "at dev.", "at org.", "com.fasterxml", "jakarta.",
                "java.lang");
    }

    private void problem(Answer a, int status, String kind) throws Exception {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/problem+json");
        JsonNode p = a.json();
        assertThat(p.path("type").asText()).isEqualTo("https://plugboard.dev/problems/" + kind);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("title").asText()).isNotEmpty();
        noInternals(a);
    }

    // ---- tools ----

    @Test
    void listsToolsInPagesWithFilters() throws Exception {
        Answer all = get("/api/v1/tools");
        assertThat(all.status()).isEqualTo(200);
        conforms(all, "/api/v1/tools", "get");
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Answer page = get("/api/v1/tools" + (cursor == null ? "" : "?cursor=" + cursor));
            conforms(page, "/api/v1/tools", "get");
            page.json().path("tools").forEach(t -> names.add(t.path("name").asText()));
            cursor = page.json().path("nextCursor").asText(null);
        } while (cursor != null);
        assertThat(names).contains("hello", "slow", "test_simple_text", "calculate").doesNotHaveDuplicates()
                .isSorted();

        Answer hello = get("/api/v1/tools?bundle=dev.plugboard.fixtures.hello");
        conforms(hello, "/api/v1/tools", "get");
        assertThat(hello.json().path("tools")).extracting(t -> t.path("name").asText())
                .containsExactlyInAnyOrder("hello", "slow");

        Answer readOnly = get("/api/v1/tools?readOnly=true");
        conforms(readOnly, "/api/v1/tools", "get");
        readOnly.json().path("tools").forEach(t -> assertThat(t.at("/annotations/readOnlyHint").asBoolean()).isTrue());

        Answer found = get("/api/v1/tools?q=says");
        conforms(found, "/api/v1/tools", "get");
        assertThat(found.json().path("tools")).extracting(t -> t.path("name").asText()).contains("hello");

        problem(get("/api/v1/tools?readOnly=maybe"), 400, "invalid-request");
        problem(get("/api/v1/tools?cursor=not-a-cursor"), 400, "invalid-request");
        problem(get("/api/v1/tools?limit=0"), 400, "invalid-request");
    }

    @Test
    void describesOneTool() throws Exception {
        Answer hello = get("/api/v1/tools/hello");
        assertThat(hello.status()).isEqualTo(200);
        conforms(hello, "/api/v1/tools/{name}", "get");
        assertThat(hello.json().at("/inputSchema/properties/name/type").asText()).isEqualTo("string");
        assertThat(hello.json().path("bundle").asText()).isEqualTo("dev.plugboard.fixtures.hello");

        Answer unknown = get("/api/v1/tools/no_such_tool");
        problem(unknown, 404, "not-found");
        conforms(unknown, "/api/v1/tools/{name}", "get");
    }

    @Test
    void callsATool() throws Exception {
        Answer ok = post("/api/v1/tools/hello/call", "{\"name\":\"REST\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().at("/content/0/text").asText()).isEqualTo("Hello, REST! (v1)");
        conforms(ok, "/api/v1/tools/hello/call", "post");
        conforms(ok, "/api/v1/tools/{name}/call", "post");

        // An MCP-style Accept header gets JSON too.
        Answer mcpStyle = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools/hello/call"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"again\"}")));
        assertThat(mcpStyle.status()).isEqualTo(200);
        assertThat(mcpStyle.json().at("/content/0/text").asText()).isEqualTo("Hello, again! (v1)");

        Answer structured = post("/api/v1/tools/calculate/call", "{\"expression\":\"(2 + 3) * 4\"}");
        assertThat(structured.status()).as(structured.body()).isEqualTo(200);
        conforms(structured, "/api/v1/tools/calculate/call", "post");

        Answer reported = post("/api/v1/tools/test_error_handling/call", "{}");
        assertThat(reported.status()).isEqualTo(200);
        assertThat(reported.json().path("isError").asBoolean()).isTrue();
        conforms(reported, "/api/v1/tools/test_error_handling/call", "post");
    }

    @Test
    void eachToolHasItsOwnCallOperationWithItsInputSchema() throws Exception {
        JsonNode op = openApi.at("/paths/~1api~1v1~1tools~1hello~1call/post");
        assertThat(op.at("/requestBody/content/application~1json/schema/properties/name/type").asText())
                .isEqualTo("string");
        Answer yaml = get("/api/v1/openapi.yaml");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.contentType()).startsWith("application/yaml");
        assertThat(yaml.body()).contains("openapi: 3.1.0", "/api/v1/tools/hello/call:");
    }

    @Test
    void invalidArgumentsNameTheirJsonPointers() throws Exception {
        Answer wrongType = post("/api/v1/tools/hello/call", "{\"name\":42}");
        problem(wrongType, 422, "invalid-arguments");
        conforms(wrongType, "/api/v1/tools/hello/call", "post");
        assertThat(wrongType.json().path("violations")).extracting(v -> v.path("pointer").asText()).contains("/name");

        Answer missing = post("/api/v1/tools/hello/call", "{}");
        problem(missing, 422, "invalid-arguments");
        assertThat(missing.json().path("violations")).isNotEmpty();

        Answer notAnObject = post("/api/v1/tools/hello/call", "[1,2]");
        problem(notAnObject, 422, "invalid-arguments");
    }

    @Test
    void badRequestsAreProblems() throws Exception {
        problem(post("/api/v1/tools/no_such_tool/call", "{}"), 404, "not-found");
        problem(post("/api/v1/tools/hello/call", "{\"name\":"), 400, "malformed-json");
        problem(post("/api/v1/tools/hello/call", "not json at all"), 400, "malformed-json");
        problem(get("/api/v1/nothing/here"), 404, "not-found");
        Answer wrongMethod = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools/hello"))
                .DELETE());
        problem(wrongMethod, 405, "method-not-allowed");
        assertThat(wrongMethod.response().headers().firstValue("Allow").orElse("")).contains("GET");
        problem(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools/hello/call"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi"))), 415,
                "unsupported-media-type");
        problem(post("/api/v1/tools/hello/call", "{\"name\":\"" + "x".repeat(70_000) + "\"}"), 413,
                "payload-too-large");
        problem(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools")).header("Accept", "image/png")),
                406, "not-acceptable");
    }

    @Test
    void aBusyToolAnswers503AndADisconnectCancelsTheCall() throws Exception {
        // The held call takes the tool's only slot; sent again while a call of an earlier test still
        // holds that slot (it is refused as busy then, which is this test's point, too).
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>(List.of(holdSlowTool()));
        Eventually.await("the held call to run", () -> {
            CompletableFuture<HttpResponse<String>> current = held.get(held.size() - 1);
            if (current.isDone()) {
                HttpResponse<String> early = current.join();
                assertThat(early.statusCode()).as("the held call ended early: " + early.body()).isEqualTo(503);
                held.add(holdSlowTool());
                return false;
            }
            try {
                return post("/api/v1/tools/slow/call", "{\"millis\":10}").status() == 503;
            } catch (Exception e) {
                return false;
            }
        });
        Answer busy = post("/api/v1/tools/slow/call", "{\"millis\":10}");
        problem(busy, 503, "busy");
        conforms(busy, "/api/v1/tools/slow/call", "post");
        assertThat(busy.response().headers().firstValue("Retry-After")).isPresent();
        // Hanging up cancels the held call, which frees the tool's only slot.
        held.get(held.size() - 1).cancel(true);
        Eventually.await("the cancelled call to free the tool", () -> {
            try {
                return post("/api/v1/tools/slow/call", "{\"millis\":10}").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private CompletableFuture<HttpResponse<String>> holdSlowTool() {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools/slow/call"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"millis\":60000}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void streamsProgressWhenAskedForEvents() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools/slow/call"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"millis\":100}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        List<String> data = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("event:")) {
                    events.add(line.substring(6).strip());
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).strip());
                }
            }
        }
        assertThat(events).contains("progress").last().isEqualTo("result");
        assertThat(JSON.readTree(data.get(data.size() - 1)).at("/content/0/text").asText()).isEqualTo("worked 100 ms");
        assertThat(JSON.readTree(data.get(0)).path("total").asDouble()).isEqualTo(10);
    }

    // ---- resources, templates, prompts, completion, search ----

    @Test
    void listsAndReadsResources() throws Exception {
        Answer list = get("/api/v1/resources");
        assertThat(list.status()).isEqualTo(200);
        conforms(list, "/api/v1/resources", "get");
        assertThat(list.json().path("resources")).extracting(r -> r.path("uri").asText()).contains("test://static-text");

        Answer read = get("/api/v1/resources/read?uri=" + URLEncoder.encode("test://static-text", StandardCharsets.UTF_8));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        conforms(read, "/api/v1/resources/read", "get");

        Answer missing = get("/api/v1/resources/read?uri=" + URLEncoder.encode("test://nothing", StandardCharsets.UTF_8));
        problem(missing, 404, "not-found");
        conforms(missing, "/api/v1/resources/read", "get");
        problem(get("/api/v1/resources/read"), 400, "invalid-request");

        Answer templates = get("/api/v1/templates");
        assertThat(templates.status()).isEqualTo(200);
        conforms(templates, "/api/v1/templates", "get");
        assertThat(templates.json().path("resourceTemplates")).isNotEmpty();
    }

    @Test
    void listsAndRendersPrompts() throws Exception {
        Answer list = get("/api/v1/prompts");
        assertThat(list.status()).isEqualTo(200);
        conforms(list, "/api/v1/prompts", "get");
        assertThat(list.json().path("prompts")).extracting(p -> p.path("name").asText()).contains("test_simple_prompt");

        Answer rendered = post("/api/v1/prompts/test_prompt_with_arguments/render", "{\"arg1\":\"a\",\"arg2\":\"b\"}");
        assertThat(rendered.status()).as(rendered.body()).isEqualTo(200);
        conforms(rendered, "/api/v1/prompts/{name}/render", "post");
        assertThat(rendered.json().path("messages")).isNotEmpty();

        problem(post("/api/v1/prompts/no_such_prompt/render", "{}"), 404, "not-found");
        problem(post("/api/v1/prompts/test_prompt_with_arguments/render", "[]"), 400, "invalid-request");
    }

    @Test
    void completesArguments() throws Exception {
        Answer done = post("/api/v1/completion", "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"test_prompt_with_arguments\"},"
                + "\"argument\":{\"name\":\"arg1\",\"value\":\"\"}}");
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        conforms(done, "/api/v1/completion", "post");
        problem(post("/api/v1/completion", "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"nope\"},"
                + "\"argument\":{\"name\":\"a\",\"value\":\"\"}}"), 404, "not-found");
        problem(post("/api/v1/completion", "{}"), 400, "invalid-request");
    }

    @Test
    void searchNeedsTheSearchPluginAndChecksItsParameters() throws Exception {
        // This host runs without the search plugin.
        Answer unavailable = get("/api/v1/search?q=hello");
        problem(unavailable, 503, "unavailable");
        conforms(unavailable, "/api/v1/search", "get");
        problem(get("/api/v1/search?q=hello&mode=psychic"), 400, "invalid-request");
        problem(get("/api/v1/search?q=hello&kind=robot"), 400, "invalid-request");
        problem(get("/api/v1/search?q="), 400, "invalid-request");
    }

    // ---- events, docs ----

    @Test
    void eventsStreamCatalogueChangesAndResume() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        String seen = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).startsWith(": watching after");
            // Not the greeter: its "greet" would wait behind the conformance fixture's tool of that name.
            host.deploy("fixture-results", "results.jar");
            String event = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("id:")) {
                    seen = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.isEmpty() && "catalog.changed".equals(event)) {
                    break;
                }
            }
            // module.installed and module.started come first: the stream is the host's one change feed
            assertThat(event).isEqualTo("catalog.changed");
        }
        assertThat(seen).isNotNull();
        String id = seen;
        host.undeploy("results.jar");
        Eventually.await("the results fixture to go", () -> host.host.changes().lastId() > Long.parseLong(id));
        // Resuming after the first event replays the later ones.
        HttpResponse<InputStream> resumed = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("Last-Event-ID", id).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resumed.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo(": watching after " + id);
            String next = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("id:")) {
                    next = line.substring(3).strip();
                    break;
                }
            }
            assertThat(Long.parseLong(next)).isEqualTo(Long.parseLong(id) + 1);
        }
        problem(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).header("Last-Event-ID", "yesterday")),
                400, "invalid-request");
    }

    @Test
    void servesTheDocumentationPageFromTheHost() throws Exception {
        Answer page = get("/api/v1/docs");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("docs/swagger-ui-bundle.js", "docs/docs-init.js").doesNotContain("<script>");
        assertThat(page.response().headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'");
        Answer bundle = get("/api/v1/docs/swagger-ui-bundle.js");
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(100_000);
        assertThat(get("/api/v1/docs/docs-init.js").body()).contains("openapi.json");
        problem(get("/api/v1/docs/secret.properties"), 404, "not-found");
    }
}
