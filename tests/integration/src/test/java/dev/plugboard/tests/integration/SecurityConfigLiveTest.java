package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config/security.json} edited while a real host runs (Felix, the essentials bundle, HTTP on
 * loopback, a real OAuth authorisation server): roles, required credentials, OAuth settings and rate
 * limits take effect without a restart; a broken file is named in {@code /health/ready} and the last
 * good configuration stays in force until the file is fixed.
 */
class SecurityConfigLiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path root;

    private String base;
    private String admin;

    @Test
    void editsTakeEffectLiveAndABrokenFileLeavesTheLastGoodOneInForce() throws Exception {
        Files.createDirectories(root.resolve("config"));
        write("""
                {"roles": {"narrow": {"operations": ["catalog"], "tools": ["calculate"]}}}
                """);
        try (TestAuthServer auth = new TestAuthServer();
                TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials")) {
            base = "http://127.0.0.1:" + host.host.port();
            admin = "Bearer " + host.adminKey();
            String key = "Bearer " + host.host.security().keys().add("k", List.of("narrow"), List.of(), null).secret();
            assertThat(tools(key)).containsExactly("calculate");
            assertThat(status("/api/v1/tools", null)).isEqualTo(200);

            // a role's tools widened, and credentials required from now on
            write("""
                    {"requireCredentials": true,
                     "roles": {"narrow": {"operations": ["catalog"], "tools": ["calculate", "hash"]}}}
                    """);
            Eventually.await("the wider role", () -> tools(key).equals(Set.of("calculate", "hash")));
            assertThat(status("/api/v1/tools", null)).isEqualTo(401);
            assertThat(readiness().path("config").path("security.json").isMissingNode()).isTrue();

            // broken: reported, and the configuration before stays in force
            write("{\"requireCredentials\": false, \"roles\": ");
            Eventually.await("the broken file to be reported", () -> !readiness().at("/config/security.json/lastError")
                    .isMissingNode());
            JsonNode ready = readiness();
            assertThat(ready.at("/config/security.json/state").asText()).isEqualTo("invalid");
            assertThat(ready.at("/config/security.json/lastError").asText()).contains("security.json")
                    .contains("not valid JSON");
            assertThat(ready.get("ready").asBoolean()).isTrue();
            // a caller without the admin key sees that the file is not in force, not what is wrong with it
            JsonNode open = JSON.readTree(send("/health/ready", null).body());
            assertThat(open.at("/config/security.json/state").asText()).isEqualTo("invalid");
            assertThat(open.at("/config/security.json/lastError").isMissingNode()).isTrue();
            assertThat(open.toString()).doesNotContain("not valid JSON");
            assertThat(status("/api/v1/tools", null)).isEqualTo(401);
            assertThat(tools(key)).containsExactly("calculate", "hash");
            write("{\"roles\": {\"admin\": {}}}");
            Eventually.await("the second problem", () -> readiness().at("/config/security.json/lastError").asText()
                    .contains("built in"));
            assertThat(status("/api/v1/tools", null)).isEqualTo(401);

            // fixed, with an OAuth issuer and a rate limit: the metadata, tokens and the limit count at once
            String resource = base + "/mcp";
            write("""
                    {"requireCredentials": true, "resource": "%s",
                     "roles": {"narrow": {"operations": ["catalog"], "tools": ["calculate", "hash"]}},
                     "oauth": {"issuer": "%s", "jwksUri": "%s", "scopes": {"plugboard:tools": ["user"]}},
                     "rateLimits": {"perCredential": {"requests": 3, "intervalSeconds": 3600}}}
                    """.formatted(resource, auth.issuer(), auth.jwksUri()));
            Eventually.await("the metadata document", () -> status("/.well-known/oauth-protected-resource/mcp", null)
                    == 200);
            assertThat(readiness().path("config").path("security.json").isMissingNode()).isTrue();
            HttpResponse<String> refused = send("/api/v1/tools", null);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).get().asString()
                    .contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(status("/api/v1/tools", key));
            }
            assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
            String token = "Bearer " + auth.token("erin", "plugboard:tools", resource);
            assertThat(status("/api/v1/tools", token)).isEqualTo(200);

            // removed: the defaults (open to the local user on loopback, no issuer, no limits)
            Files.delete(root.resolve("config/security.json"));
            Eventually.await("the defaults", () -> status("/api/v1/tools", null) == 200);
            assertThat(status("/.well-known/oauth-protected-resource", null)).isEqualTo(404);
            assertThat(status("/api/v1/tools", key)).as("the role 'narrow' went with the file").isEqualTo(403);
        }
    }

    private void write(String content) throws Exception {
        Path aside = root.resolve("config/.security.json.part");
        Files.writeString(aside, content);
        Files.move(aside, root.resolve("config/security.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private Set<String> tools(String authorization) {
        try {
            HttpResponse<String> r = send("/api/v1/tools?limit=100", authorization);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            Set<String> names = new TreeSet<>();
            (body.has("items") ? body.get("items") : body.get("tools")).forEach(t -> names.add(t.get("name").asText()));
            return names;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode readiness() {
        try {
            return JSON.readTree(send("/health/ready", admin).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private int status(String path, String authorization) {
        try {
            return send(path, authorization).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> send(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
