package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.host.testsupport.RedisExtension;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two (and three) real hosts sharing one real {@code redis-server}: an API key revoked on one node is
 * refused by the others, also by a node started later from an old copy of the key file, and a
 * credential's request limit is one limit across the nodes, not one per node.
 */
class SharedSecurityTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path root;
    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    private TestHost node(String name, String securityJson, Path keyFile) throws Exception {
        Path home = root.resolve(name);
        Files.createDirectories(home.resolve("config"));
        if (securityJson != null) {
            Files.writeString(home.resolve("config/security.json"), securityJson);
        }
        if (keyFile != null) {
            Files.createDirectories(home.resolve("data"));
            Files.copy(keyFile, home.resolve("data").resolve(keyFile.getFileName()));
        }
        return TestHost.start(home, Map.of("store.redis.url", redis.url()), "fixture-hello-v1");
    }

    private static int tools(TestHost node, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.host.port() + "/api/v1/tools"))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void aKeyRevokedOnOneNodeIsRefusedByTheOthersAndByANodeStartedLater() throws Exception {
        try (TestHost a = node("a", null, null)) {
            String key = a.host.security().keys().add("shared", List.of("user"), List.of(), null).secret();
            String other = a.host.security().keys().add("kept", List.of("user"), List.of(), null).secret();
            Path oldFile = Files.copy(a.host.security().keys().file(), root.resolve("api-keys.json"));
            try (TestHost b = node("b", null, oldFile)) {
                assertThat(tools(b, key)).isEqualTo(200);
                assertThat(tools(a, key)).isEqualTo(200);

                assertThat(a.host.security().keys().revoke("shared")).isPresent();
                assertThat(tools(a, key)).isEqualTo(401);
                Eventually.await("node B to refuse the key revoked on node A", () -> {
                    try {
                        return tools(b, key) == 401;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                assertThat(b.host.security().keys().list()).extracting(k -> k.name()).containsExactly("kept");
                assertThat(tools(b, other)).as("the other key still works on node B").isEqualTo(200);
            }
            try (TestHost c = node("c", null, oldFile)) {
                assertThat(tools(c, key)).as("a node started after the revocation, from the old key file")
                        .isEqualTo(401);
                assertThat(tools(c, other)).isEqualTo(200);
            }
        }
    }

    @Test
    void aCredentialsRequestLimitHoldsAcrossTwoNodes() throws Exception {
        String limits = "{\"rateLimits\": {\"perCredential\": {\"requests\": 10, \"intervalSeconds\": 3600}}}";
        try (TestHost a = node("a", limits, null)) {
            String key = a.host.security().keys().add("caller", List.of("user"), List.of(), null).secret();
            try (TestHost b = node("b", limits, a.host.security().keys().file())) {
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    TestHost to = i % 2 == 0 ? a : b;
                    answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.host.port()
                            + "/api/v1/tools")).header("Authorization", "Bearer " + key).GET().build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                List<Integer> statuses = new ArrayList<>();
                for (CompletableFuture<HttpResponse<String>> f : answers) {
                    statuses.add(f.get(60, TimeUnit.SECONDS).statusCode());
                }
                assertThat(statuses).filteredOn(s -> s == 200).as("one limit of 10 for both nodes").hasSize(10);
                assertThat(statuses).filteredOn(s -> s == 429).hasSize(30);
                assertThat(tools(a, key)).isEqualTo(429);
                assertThat(tools(b, key)).isEqualTo(429);
            }
        }
    }
}
