package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.security.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security layer at every door of a real host (Felix, the essentials, search and hello bundles,
 * HTTP on loopback) that requires credentials, with a real OAuth authorisation server (signed JWTs,
 * a JWKS over loopback HTTP): API keys, the admin key, tokens and their failures, a restricted key's
 * view of the catalogue, the protected-resource metadata and the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityDoorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCE = "https://plugboard.test/mcp";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path root;

    private TestAuthServer auth;
    private TestHost host;
    private String base;
    private String adminKey;
    private String teammateKey;
    private Set<String> essentials;

    @BeforeAll
    void start() throws Exception {
        auth = new TestAuthServer();
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/security.json"), """
                {"requireCredentials": true,
                 "resource": "%s",
                 "roles": {"essentials-only": {"operations": ["catalog"], "tools": ["essentials.*"]},
                           "key-manager": {"operations": ["catalog", "keys"], "tools": ["essentials.*"]}},
                 "oauth": {"issuer": "%s", "jwksUri": "%s", "jwksRefreshMinMillis": 0,
                           "scopes": {"plugboard:tools": ["user"], "plugboard:admin": ["admin"],
                                      "plugboard:essentials": ["essentials-only"]}}}
                """.formatted(RESOURCE, auth.issuer(), auth.jwksUri()));
        host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-search", "fixture-hello-v1");
        base = "http://127.0.0.1:" + host.host.port();
        adminKey = Files.readString(root.resolve("data/admin.key")).strip();
        teammateKey = host.host.security().keys().add("teammate", List.of("user"), List.of("essentials.*"), null)
                .secret();
        Eventually.await("the hello tool", () -> host.hasTool("hello"));
        essentials = new TreeSet<>();
        host.host.catalog().tools().all().stream().filter(t -> t.provider().bundleName().contains("essentials"))
                .forEach(t -> essentials.add(t.name()));
        assertThat(essentials).contains("calculate", "hash");
    }

    @AfterAll
    void stop() {
        if (host != null) {
            host.close();
        }
        if (auth != null) {
            auth.close();
        }
    }

    // ---- a restricted key ----

    @Test
    void aRestrictedKeySeesExactlyItsToolsThroughEveryDoor() throws Exception {
        String bearer = "Bearer " + teammateKey;
        McpClient session = new McpClient(host.mcp);
        session.authorization = bearer;
        session.initialize();
        assertThat(new TreeSet<>(session.toolNames())).isEqualTo(essentials);

        JsonNode stateless = statelessList(bearer);
        assertThat(names(stateless.at("/result/tools"))).isEqualTo(essentials);

        JsonNode rest = json(get("/api/v1/tools?limit=100", bearer));
        assertThat(names(rest.get("items") != null ? rest.get("items") : rest.get("tools"))).isEqualTo(essentials);

        GraphqlClient graphql = new GraphqlClient(host.host.port());
        GraphqlClient.Answer tools = graphql.post("{ tools { items { name } } }", Map.of(), bearer);
        assertThat(names(tools.data("/tools/items"))).isEqualTo(essentials);

        JsonNode openapi = json(get("/api/v1/openapi.json", bearer));
        Set<String> called = new TreeSet<>();
        openapi.get("paths").fieldNames().forEachRemaining(p -> {
            if (p.startsWith("/api/v1/tools/") && p.endsWith("/call") && !p.contains("{")) {
                called.add(p.substring("/api/v1/tools/".length(), p.length() - "/call".length()));
            }
        });
        assertThat(called).isEqualTo(essentials);

        // the admin sees more: the filter is per caller, not a cached document
        JsonNode adminOpenapi = json(get("/api/v1/openapi.json", "Bearer " + adminKey));
        assertThat(adminOpenapi.get("paths").has("/api/v1/tools/hello/call")).isTrue();
    }

    @Test
    void aRestrictedKeySearchesOnlyItsTools() throws Exception {
        Eventually.await("the index to hold hello", Duration.ofSeconds(60), () -> {
            try {
                return json(get("/api/v1/search?q=hello&mode=bm25&kind=tool", "Bearer " + adminKey)).toString()
                        .contains("\"hello\"");
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode hits = json(get("/api/v1/search?q=hello&mode=bm25&kind=tool", "Bearer " + teammateKey)).get("hits");
        hits.forEach(h -> assertThat(essentials).contains(h.get("key").asText()));
        JsonNode listed = json(get("/api/v1/tools?q=hello", "Bearer " + teammateKey));
        assertThat(listed.toString()).doesNotContain("\"hello\"");
    }

    @Test
    void aRestrictedKeyIsRefusedAnyOtherToolAsIfItDidNotExist() throws Exception {
        String bearer = "Bearer " + teammateKey;
        McpClient session = new McpClient(host.mcp);
        session.authorization = bearer;
        session.initialize();
        JsonNode refused = session.call("tools/call", "{\"name\":\"hello\",\"arguments\":{\"name\":\"x\"}}");
        assertThat(refused.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(refused.at("/error/message").asText()).isEqualTo("Unknown tool: hello");
        assertThat(session.callTool("calculate", "{\"expression\":\"2*3\"}").at("/structuredContent/result").asInt())
                .isEqualTo(6);

        HttpResponse<String> rest = post("/api/v1/tools/hello/call", "{\"name\":\"x\"}", bearer);
        assertThat(rest.statusCode()).isEqualTo(404);
        assertThat(rest.body()).contains("Unknown tool: hello");
        assertThat(get("/api/v1/tools/hello", bearer).statusCode()).isEqualTo(404);
        assertThat(post("/api/v1/tools/calculate/call", "{\"expression\":\"1+1\"}", bearer).statusCode())
                .isEqualTo(200);

        GraphqlClient graphql = new GraphqlClient(host.host.port());
        GraphqlClient.Answer call = graphql.post("mutation { callTool(name: \"hello\", arguments: {name: \"x\"}) "
                + "{ isError } }", Map.of(), bearer);
        assertThat(call.code()).isEqualTo("NOT_FOUND");
        assertThat(graphql.post("{ tool(name: \"hello\") { name } }", Map.of(), bearer).data("/tool").isNull())
                .isTrue();

        HttpResponse<String> modules = get("/api/v1/modules", bearer);
        assertThat(modules.statusCode()).isEqualTo(403);
        assertThat(graphql.post("{ config(pid: \"x\") { pid } }", Map.of(), bearer).code())
                .isEqualTo("UNAUTHENTICATED");
        assertThat(Files.readString(root.resolve("data/audit.log"))).contains("\"who\":\"teammate\"")
                .contains("graphql Query.config").contains("GET /api/v1/modules");
    }

    // ---- credentials at every door ----

    /** The doors: a request at each, with a given Authorization header. */
    private List<HttpResponse<String>> everyDoor(String authorization) throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        Map<String, String> mcp = new LinkedHashMap<>();
        mcp.put("Content-Type", "application/json");
        mcp.put("Accept", "application/json, text/event-stream");
        answers.add(send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
                authorization, mcp));
        answers.add(send("GET", "/api/v1/tools", null, authorization, Map.of()));
        answers.add(send("POST", "/api/v1/tools/calculate/call", "{\"expression\":\"1+1\"}", authorization,
                Map.of("Content-Type", "application/json")));
        answers.add(send("POST", "/graphql", "{\"query\":\"{ tools { items { name } } }\"}", authorization,
                Map.of("Content-Type", "application/json")));
        answers.add(send("GET", "/api/v1/modules", null, authorization, Map.of()));
        answers.add(send("GET", "/api/v1/openapi.json", null, authorization, Map.of()));
        return answers;
    }

    private void assertEveryDoorAnswers401(String authorization, String description) throws Exception {
        for (HttpResponse<String> r : everyDoor(authorization)) {
            assertThat(r.statusCode()).as(r.request().uri() + " with " + description).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).get().asString()
                    .startsWith("Bearer ")
                    .contains("resource_metadata=\"https://plugboard.test/.well-known/oauth-protected-resource/mcp\"");
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.");
        }
    }

    @Test
    void everyDoorRefusesAMissingMalformedOrUnknownCredential() throws Exception {
        assertEveryDoorAnswers401(null, "no credential");
        assertEveryDoorAnswers401("Basic dXNlcjpwYXNz", "another scheme");
        assertEveryDoorAnswers401("Bearer", "no token");
        assertEveryDoorAnswers401("Bearer not.a.jwt", "a malformed token");
        assertEveryDoorAnswers401("Bearer " + ApiKeys.PREFIX + "000000000000_unknown", "an unknown key");
        HttpResponse<String> mcp = everyDoor(null).get(0);
        assertThat(McpClient.JSON.readTree(mcp.body()).at("/error/code").asInt()).isEqualTo(-32600);
        HttpResponse<String> graphql = everyDoor(null).get(3);
        assertThat(McpClient.JSON.readTree(graphql.body()).at("/errors/0/extensions/code").asText())
                .isEqualTo("UNAUTHENTICATED");
        HttpResponse<String> rest = everyDoor(null).get(1);
        assertThat(rest.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
    }

    @Test
    void everyDoorRefusesExpiredWrongAudienceWrongIssuerAndForgedTokens() throws Exception {
        assertEveryDoorAnswers401("Bearer " + auth.token("alice", "plugboard:admin", RESOURCE, auth.issuer(),
                Duration.ofMinutes(-10)), "an expired token");
        assertEveryDoorAnswers401("Bearer " + auth.token("alice", "plugboard:admin", "https://elsewhere/mcp"),
                "a token for another audience");
        assertEveryDoorAnswers401("Bearer " + auth.token("alice", "plugboard:admin", RESOURCE,
                "https://impostor.example", Duration.ofMinutes(5)), "a token of another issuer");
        assertEveryDoorAnswers401("Bearer " + auth.forged("alice", "plugboard:admin", RESOURCE), "a forged token");
        HttpResponse<String> expired = get("/api/v1/tools", "Bearer " + auth.token("alice", "plugboard:tools",
                RESOURCE, auth.issuer(), Duration.ofMinutes(-10)));
        assertThat(expired.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("error=\"invalid_token\"").contains("expired");
    }

    @Test
    void aRevokedKeyIsRefusedAtEveryDoor() throws Exception {
        HttpResponse<String> created = post("/api/v1/keys", "{\"name\":\"short-lived\",\"role\":\"admin\"}",
                "Bearer " + adminKey);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = JSON.readTree(created.body()).get("key").asText();
        assertThat(everyDoor("Bearer " + key)).allSatisfy(r -> assertThat(r.statusCode()).as(r.request().uri()
                .toString()).isBetween(200, 299));
        assertThat(get("/api/v1/keys", "Bearer " + adminKey).body()).contains("short-lived").doesNotContain(key);
        assertThat(send("DELETE", "/api/v1/keys/short-lived", null, "Bearer " + adminKey, Map.of()).statusCode())
                .isEqualTo(204);
        assertEveryDoorAnswers401("Bearer " + key, "a revoked key");
        assertThat(Files.readString(root.resolve("data/audit.log"))).contains("keys.add short-lived")
                .contains("keys.revoke short-lived").contains("\"outcome\":\"denied\"").doesNotContain(key);
    }

    @Test
    void keysAreCreatedListedAndRevokedOverGraphqlWithTheRightsAndAuditOfRest() throws Exception {
        GraphqlClient graphql = new GraphqlClient(host.host.port());
        String admin = "Bearer " + adminKey;
        String create = "mutation($name: String!, $roles: [String!]!, $tools: [String!]) { createApiKey(name: $name,"
                + " roles: $roles, tools: $tools, expires: \"30d\") { key apiKey { id name roles tools expires } } }";
        GraphqlClient.Answer manager = graphql.post(create, Map.of("name", "gql-manager", "roles",
                List.of("key-manager")), admin);
        assertThat(manager.body().has("errors")).as(manager.body().toString()).isFalse();
        String managerKey = manager.data("/createApiKey/key").asText();
        assertThat(managerKey).startsWith(ApiKeys.PREFIX);
        assertThat(manager.data("/createApiKey/apiKey/expires").asText()).isNotEmpty();
        String bearer = "Bearer " + managerKey;

        // a key manager that is not an admin: user keys yes, admin keys no, as over REST
        GraphqlClient.Answer stronger = graphql.post(create, Map.of("name", "gql-boss", "roles", List.of("admin")),
                bearer);
        assertThat(stronger.code()).isEqualTo("BAD_USER_INPUT");
        assertThat(stronger.body().toString()).contains("only an admin");
        assertThat(post("/api/v1/keys", "{\"name\":\"rest-boss\",\"role\":\"admin\"}", bearer).statusCode())
                .isEqualTo(400);
        GraphqlClient.Answer made = graphql.post(create, Map.of("name", "gql-user", "roles", List.of("user"),
                "tools", List.of("essentials.*")), bearer);
        String userKey = made.data("/createApiKey/key").asText();
        assertThat(json(get("/api/v1/tools", "Bearer " + userKey)).toString()).doesNotContain("\"hello\"");
        assertThat(graphql.post(create, Map.of("name", "gql-user", "roles", List.of("user"),
                "tools", List.of("essentials.*")), bearer).code()).isEqualTo("CONFLICT");
        // nor keys for tools beyond its own
        GraphqlClient.Answer wider = graphql.post(create, Map.of("name", "gql-wide", "roles", List.of("user")), bearer);
        assertThat(wider.code()).isEqualTo("BAD_USER_INPUT");
        assertThat(wider.body().toString()).contains("beyond your own");
        assertThat(graphql.post(create, Map.of("name", "x", "roles", List.of("wizard")), bearer).code())
                .isEqualTo("BAD_USER_INPUT");

        // the list never holds a key; REST and GraphQL list the same keys
        GraphqlClient.Answer listed = graphql.post("{ apiKeys { id name roles tools created expires } }", Map.of(),
                bearer);
        Set<String> names = new TreeSet<>();
        listed.data("/apiKeys").forEach(k -> names.add(k.get("name").asText()));
        assertThat(names).contains("gql-manager", "gql-user", "teammate");
        assertThat(listed.body().toString()).doesNotContain(managerKey).doesNotContain(userKey);
        Set<String> overRest = new TreeSet<>();
        json(get("/api/v1/keys", bearer)).get("keys").forEach(k -> overRest.add(k.get("name").asText()));
        assertThat(overRest).isEqualTo(names);

        // without the keys right: refused, and nothing changes
        String teammate = "Bearer " + teammateKey;
        assertThat(graphql.post("{ apiKeys { name } }", Map.of(), teammate).code()).isEqualTo("FORBIDDEN");
        assertThat(graphql.post(create, Map.of("name", "mine", "roles", List.of("user")), teammate).code())
                .isEqualTo("FORBIDDEN");
        assertThat(graphql.post("mutation { revokeApiKey(name: \"gql-user\") { name } }", Map.of(), teammate).code())
                .isEqualTo("FORBIDDEN");
        assertThat(host.host.security().keys().list()).noneMatch(k -> k.name().equals("mine"));

        // revoked over GraphQL: refused at once at every door
        GraphqlClient.Answer revoked = graphql.post("mutation { revokeApiKey(name: \"gql-user\") { name roles } }",
                Map.of(), bearer);
        assertThat(revoked.data("/revokeApiKey/name").asText()).isEqualTo("gql-user");
        assertEveryDoorAnswers401("Bearer " + userKey, "a key revoked over GraphQL");
        assertThat(graphql.post("mutation { revokeApiKey(name: \"gql-user\") { name } }", Map.of(), bearer).code())
                .isEqualTo("NOT_FOUND");

        // and over the WebSocket, with the connection's credential
        GraphqlClient.Socket socket = graphql.socket(Map.of("Authorization", bearer));
        socket.init();
        socket.subscribe("1", "{ apiKeys { name } }");
        assertThat(socket.next().at("/payload/data/apiKeys").toString()).contains("gql-manager");

        String audit = Files.readString(root.resolve("data/audit.log"));
        assertThat(audit).contains("graphql Mutation.createApiKey").contains("keys.add gql-user")
                .contains("keys.revoke gql-user").contains("graphql Query.apiKeys")
                .containsPattern("\"who\":\"teammate\"[^\n]*\"what\":\"graphql Mutation.createApiKey\",\"outcome\":\"denied\"")
                .doesNotContain(managerKey).doesNotContain(userKey);
        send("DELETE", "/api/v1/keys/gql-manager", null, admin, Map.of());
    }

    @Test
    void aTokenWithoutTheScopeGets403NamingIt() throws Exception {
        String unrelated = "Bearer " + auth.token("bob", "email profile", RESOURCE);
        for (HttpResponse<String> r : everyDoor(unrelated)) {
            assertThat(r.statusCode()).as(r.request().uri().toString()).isEqualTo(403);
            assertThat(r.headers().firstValue("WWW-Authenticate")).get().asString()
                    .contains("error=\"insufficient_scope\"").containsPattern("scope=\"[^\"]*plugboard:tools")
                    .containsPattern("scope=\"[^\"]*plugboard:admin");
        }
        String tools = "Bearer " + auth.token("bob", "plugboard:tools", RESOURCE);
        HttpResponse<String> modules = get("/api/v1/modules", tools);
        assertThat(modules.statusCode()).isEqualTo(403);
        assertThat(modules.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("error=\"insufficient_scope\"").contains("scope=\"plugboard:admin\"");
        assertThat(get("/api/v1/tools", tools).statusCode()).isEqualTo(200);
    }

    @Test
    void tokensAreAcceptedAndANewSigningKeyIsFetched() throws Exception {
        McpClient client = new McpClient(host.mcp);
        client.authorization = "Bearer " + auth.token("carol", "plugboard:essentials", RESOURCE);
        client.initialize();
        assertThat(new TreeSet<>(client.toolNames())).isEqualTo(essentials);
        int fetches = auth.jwksFetches();
        auth.rotate();
        client.authorization = "Bearer " + auth.token("carol", "plugboard:tools", RESOURCE);
        assertThat(client.toolNames()).contains("hello");
        assertThat(auth.jwksFetches()).isGreaterThan(fetches);
        HttpResponse<String> admin = get("/api/v1/modules", "Bearer " + auth.token("dave", "plugboard:admin",
                RESOURCE));
        assertThat(admin.statusCode()).isEqualTo(200);
    }

    @Test
    void theWebSocketDoorChecksTheCredentialOfItsConnection() throws Exception {
        GraphqlClient graphql = new GraphqlClient(host.host.port());
        GraphqlClient.Socket anonymous = graphql.socket(Map.of());
        anonymous.send("{\"type\":\"connection_init\"}");
        assertThat(anonymous.closeCode()).isEqualTo(4403);
        GraphqlClient.Socket keyed = graphql.socket(Map.of("Authorization", "Bearer " + teammateKey));
        keyed.init();
        keyed.subscribe("1", "{ tools { items { name } } }");
        JsonNode next = keyed.next();
        assertThat(names(next.at("/payload/data/tools/items"))).isEqualTo(essentials);
    }

    @Test
    void aKeyWrittenBesideTheRunningServerWorksAndItsRevocationCountsAtOnce() throws Exception {
        // What `plugboard keys add` does, offline or not: it writes <data>/api-keys.json itself.
        ApiKeys file = new ApiKeys(root.resolve("data"), JSON);
        String key = "Bearer " + file.add("written-beside", List.of("user"), List.of("essentials.*"), null).secret();
        Eventually.await("the server to read the new key", () -> status("/api/v1/tools", key) == 200);
        assertThat(json(get("/api/v1/tools", key)).toString()).doesNotContain("\"hello\"");
        file.revoke("written-beside");
        Eventually.await("the server to read the revocation", () -> status("/api/v1/tools", key) == 401);
    }

    private int status(String path, String authorization) {
        try {
            return get(path, authorization).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSessionServesOnlyTheCredentialThatOpenedIt() throws Exception {
        McpClient teammate = new McpClient(host.mcp);
        teammate.authorization = "Bearer " + teammateKey;
        teammate.initialize();
        String admin = "Bearer " + adminKey;
        Map<String, String> inSession = Map.of("Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "Mcp-Session-Id", teammate.sessionId,
                "MCP-Protocol-Version", "2025-11-25");
        // another credential holding the id: as if the session did not exist, for every use of it
        HttpResponse<String> list = send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}",
                admin, inSession);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(404);
        assertThat(send("GET", "/mcp", null, admin, Map.of("Accept", "text/event-stream",
                "Mcp-Session-Id", teammate.sessionId, "MCP-Protocol-Version", "2025-11-25")).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/mcp", null, admin, Map.of("Mcp-Session-Id", teammate.sessionId,
                "MCP-Protocol-Version", "2025-11-25")).statusCode()).isEqualTo(404);
        // and its owner still has it
        assertThat(new TreeSet<>(teammate.toolNames())).isEqualTo(essentials);
    }

    @Test
    void theKeysApiNeedsItsRightUnderEverySpellingOfItsPath() throws Exception {
        String bearer = "Bearer " + teammateKey;
        for (String path : List.of("/api/v1/keys", "/api/v1/keys;x", "/api/v1/%6Beys", "/api/v1//keys")) {
            HttpResponse<String> r = get(path, bearer);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isIn(403, 404);
            assertThat(r.body()).as(path).doesNotContain("teammate");
        }
        HttpResponse<String> mint = post("/api/v1/keys;x", "{\"name\":\"mine\",\"role\":\"admin\"}", bearer);
        assertThat(mint.statusCode()).as(mint.body()).isIn(403, 404);
        assertThat(host.host.security().keys().list()).noneMatch(k -> k.name().equals("mine"));
    }

    @Test
    void aCorsPreflightNeedsNoCredential() throws Exception {
        HttpResponse<String> preflight = send("OPTIONS", "/mcp", null, null, Map.of("Origin", "http://localhost",
                "Access-Control-Request-Method", "POST"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).get().asString()
                .contains("Authorization");
    }

    @Test
    void theMetadataAndTheHealthProbesAreOpen() throws Exception {
        for (String path : List.of("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp")) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode doc = JSON.readTree(r.body());
            assertThat(doc.get("resource").asText()).isEqualTo(RESOURCE);
            assertThat(doc.get("authorization_servers").get(0).asText()).isEqualTo(auth.issuer());
            assertThat(doc.get("scopes_supported").toString()).contains("plugboard:tools");
        }
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
        assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
    }

    // ---- helpers ----

    private JsonNode statelessList(String authorization) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"_meta\":{"
                + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
        HttpResponse<String> r = send("POST", "/mcp", body, authorization, Map.of("Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "MCP-Protocol-Version", "2026-07-28",
                "Mcp-Method", "tools/list"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Set<String> names(JsonNode list) {
        Set<String> out = new TreeSet<>();
        list.forEach(t -> out.add(t.get("name").asText()));
        return out;
    }

    @Test
    void theAuditLogIsServedNewestFirstAndPagedToTheKeysRightOnly() throws Exception {
        String admin = "Bearer " + adminKey;
        json(get("/api/v1/keys", admin));
        HttpResponse<String> refused = get("/api/v1/audit", "Bearer " + teammateKey);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        for (int i = 0; i < 3; i++) {
            json(get("/api/v1/keys", admin));
        }

        JsonNode page = json(get("/api/v1/audit?limit=5", admin));
        assertThat(page.get("entries")).hasSize(5);
        // the newest line is this very request, audited before it was served; then the three listings of keys,
        // then the teammate's refusal
        JsonNode newest = page.get("entries").get(0);
        assertThat(newest.get("what").asText()).contains("/api/v1/audit");
        assertThat(newest.get("outcome").asText()).isEqualTo("admitted");
        for (int i = 1; i <= 3; i++) {
            assertThat(page.get("entries").get(i).get("what").asText()).contains("/api/v1/keys");
        }
        JsonNode denied = page.get("entries").get(4);
        assertThat(denied.get("who").asText()).isEqualTo("teammate");
        assertThat(denied.get("outcome").asText()).isEqualTo("denied");
        List<java.time.Instant> times = new ArrayList<>();
        page.get("entries").forEach(e -> times.add(java.time.Instant.parse(e.get("at").asText())));
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(page.get("nextCursor").asText()).isEqualTo("5");

        // the next page starts after the first, counted from the newest line when it is asked for
        JsonNode first = json(get("/api/v1/audit?limit=1", admin));
        JsonNode second = json(get("/api/v1/audit?limit=1&cursor=" + first.get("nextCursor").asText(), admin));
        assertThat(second.get("entries").get(0)).isEqualTo(first.get("entries").get(0));

        for (String bad : List.of("limit=0", "limit=501", "limit=many", "cursor=-1", "cursor=x")) {
            HttpResponse<String> r = get("/api/v1/audit?" + bad, admin);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(r.body()).as(bad).contains("invalid-request").doesNotContain("Exception");
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.request().uri() + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return send("GET", path, null, authorization, Map.of());
    }

    private HttpResponse<String> post(String path, String body, String authorization) throws Exception {
        return send("POST", path, body, authorization, Map.of("Content-Type", "application/json"));
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization,
            Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
