package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health/ready answers 503 until every bundle found at start-up has started or failed. */
class ReadinessTest {

    @TempDir
    Path root;

    @Test
    void notReadyUntilStartUpDeploymentEnds() throws Exception {
        Path gate = root.resolve("gate-open");
        System.setProperty("plugboard.fixture.gate", gate.toString());
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CompletableFuture<TestHost> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return TestHost.start(root, Map.of("http.port", Integer.toString(port)), "fixture-gate", "fixture-hello-v1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
        try {
            List<HttpResponse<String>> first = new ArrayList<>();
            Eventually.await("the HTTP server to answer", () -> {
                try {
                    first.add(http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()));
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(first.get(0).statusCode()).as(first.get(0).body()).isEqualTo(503);
            Files.createFile(gate);
            try (TestHost host = starting.join()) {
                var r = http.send(host.fullReadiness(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"status\":\"UP\"").contains("dev.plugboard.fixtures.gate");
                // without the admin key: the states, not what is deployed
                var open = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(open.statusCode()).isEqualTo(200);
                assertThat(open.body()).contains("\"status\":\"UP\"").contains("\"state\":\"ACTIVE\"")
                        .doesNotContain("dev.plugboard.fixtures.gate");
                assertThat(host.hasTool("hello")).isTrue();
            }
        } finally {
            // a failed check above must not leave the host starting behind the gate (it would write
            // into this test's deleted directory while later tests run)
            if (!Files.exists(gate)) {
                Files.createFile(gate);
                starting.join().close();
            }
            System.clearProperty("plugboard.fixture.gate");
        }
    }
}
