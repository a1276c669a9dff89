package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no well-behaved client sends, over raw sockets: odd paths and request lines, odd and
 * repeated Host headers, slow headers and stalled bodies, too many connections, a pipelined request
 * during a slow call. Every answer is a 4xx (or 503 for the connection cap) with a JSON body and no
 * internal names, and the server serves on.
 */
class HttpHardeningTest {

    @TempDir
    static Path root;
    static TestHost host;

    @BeforeAll
    static void start() throws Exception {
        host = TestHost.start(root, Map.of("http.headerTimeoutSeconds", "1", "http.bodyTimeoutSeconds", "1"),
                "fixture-hello-v1");
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static RawHttp.Answer exchange(String request) throws Exception {
        try (RawHttp http = new RawHttp(host.mcp)) {
            return http.send(request).read();
        }
    }

    private static void assertJsonError(RawHttp.Answer a) throws Exception {
        assertThat(a.status()).as(a.head() + a.body()).isBetween(400, 499);
        assertThat(a.header("Content-Type")).matches("application/(problem\\+)?json.*");
        JsonNode body = McpClient.JSON.readTree(a.body());
        assertThat(body.isObject()).isTrue();
        assertThat(a.body()).doesNotContain("<html").doesNotContain("Exception").doesNotContain("grizzly")
                .doesNotContain("java.");
    }

    private static void assertStillServing() throws Exception {
        RawHttp.Answer live = exchange("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(live.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mcp%2f", "/mcp%2F", "/mc%00p", "/mcp/", "/mcp/..%2f..%2f", "/health/ready%00",
            "/health/", "/health/nothing", "/health/%zz", "/health/a%", "/health/..%2f..%2fetc", "/%zz", "/",
            "/index.html"})
    void oddPathsAre404WithJson(String path) throws Exception {
        RawHttp.Answer a = exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(a.status()).isEqualTo(404);
        assertJsonError(a);
        assertStillServing();
    }

    @Test
    void aNulInThePathOrAGarbageRequestLineIsA4xx() throws Exception {
        for (String request : List.of("GET /mc\u0000p HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "garbage\r\n\r\n", "GET\r\n\r\n", "POST /mcp HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n",
                "GET /mcp HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", "GET /mcp HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n")) {
            try (RawHttp http = new RawHttp(host.mcp)) {
                http.send(request);
                RawHttp.Answer a = http.read();
                assertThat(a.status()).as(request).isBetween(400, 499);
                if (!a.body().isEmpty()) {
                    assertJsonError(a);
                }
            } catch (java.io.IOException closedWithoutAnswer) {
                // Closing a connection that is not HTTP is a fair answer too; what matters is no 5xx.
            }
        }
        assertStillServing();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1", "a b", "localhost:99999999", "local%host", "localhost:x", ":80", "exa\tmple"})
    void malformedHostsAre400OnEveryEndpoint(String value) throws Exception {
        for (String path : List.of("/health/ready", "/health/live", "/mcp", "/elsewhere")) {
            RawHttp.Answer a = exchange("GET " + path + " HTTP/1.1\r\nHost: " + value + "\r\n\r\n");
            assertThat(a.status()).as(path + " with Host " + value).isEqualTo(400);
            assertJsonError(a);
        }
        assertStillServing();
    }

    @Test
    void foreignHostsAndOriginsAreRefusedOnTheHealthEndpointsToo() throws Exception {
        RawHttp.Answer host403 = exchange("GET /health/ready HTTP/1.1\r\nHost: evil.example.com\r\n\r\n");
        assertThat(host403.status()).isEqualTo(403);
        assertJsonError(host403);
        RawHttp.Answer origin403 = exchange("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Origin: https://evil.example.com\r\n\r\n");
        assertThat(origin403.status()).isEqualTo(403);
        assertJsonError(origin403);
    }

    @Test
    void twoHostHeadersAre400() throws Exception {
        for (String path : List.of("/mcp", "/health/ready")) {
            RawHttp.Answer a = exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example.com\r\n\r\n");
            assertThat(a.status()).isEqualTo(400);
            assertJsonError(a);
            assertThat(a.body()).contains("Host");
        }
    }

    @Test
    void otherMethodsOnTheProbesAre405WithJson() throws Exception {
        RawHttp.Answer a = exchange("POST /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.header("Allow")).contains("GET");
        assertJsonError(a);
    }

    @Test
    void theProbesAnswerHeadAsGetWithoutABodyAndOptionsWithWhatTheyAllow() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/health/live", "/health/ready")) {
            var uri = host.mcp.resolve(path);
            var get = http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            var head = http.send(java.net.http.HttpRequest.newBuilder(uri)
                    .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(get.body()).as(path).contains("\"status\":\"UP\"");
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
            RawHttp.Answer options = exchange("OPTIONS " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(options.status()).as(path).isEqualTo(204);
            assertThat(options.header("Allow")).as(path).contains("GET").contains("HEAD");
        }
    }

    @Test
    void aMalformedQueryOnTheProbesIs400AndTraceIs405WithJson() throws Exception {
        RawHttp.Answer query = exchange("GET /health/live?x=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(query.status()).isEqualTo(400);
        assertJsonError(query);
        for (String path : List.of("/mcp", "/health/ready")) {
            RawHttp.Answer trace = exchange("TRACE " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(trace.status()).isEqualTo(405);
            assertJsonError(trace);
        }
    }

    @Test
    void brokenFramingIs400() throws Exception {
        for (String request : List.of(
                "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Type: application/json\r\n\r\nzz\r\n",
                "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n",
                "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")) {
            try (RawHttp http = new RawHttp(host.mcp)) {
                RawHttp.Answer a = http.send(request).read();
                assertThat(a.status()).isEqualTo(400);
                assertThat(a.body()).doesNotContain("<html");
            }
        }
        assertStillServing();
    }

    @Test
    void headersThatDoNotArriveInTimeGet408AndTheConnectionCloses() throws Exception {
        try (RawHttp http = new RawHttp(host.mcp)) {
            http.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            RawHttp.Answer a = http.read();
            assertThat(a.status()).isEqualTo(408);
            assertJsonError(a);
            assertThat(http.closedByServer()).isTrue();
        }
        try (RawHttp silent = new RawHttp(host.mcp)) {
            assertThat(silent.read().status()).as("a connection that sends nothing").isEqualTo(408);
        }
        assertStillServing();
    }

    @Test
    void aStalledBodyGets408AndTheConnectionCloses() throws Exception {
        try (RawHttp http = new RawHttp(host.mcp)) {
            http.send("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\"");
            RawHttp.Answer a = http.read();
            assertThat(a.status()).isEqualTo(408);
            assertJsonError(a);
            assertThat(McpClient.JSON.readTree(a.body()).at("/error/code").asInt()).isEqualTo(-32600);
            assertThat(http.closedByServer()).isTrue();
        }
        assertStillServing();
    }

    @Test
    void aPipelinedRequestDuringASlowStatelessCallDoesNotCancelIt() throws Exception {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":"
                + "{\"millis\":1500},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
        String request = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/call\r\n"
                + "Mcp-Name: slow\r\nContent-Length: " + call.length() + "\r\n\r\n" + call;
        try (RawHttp http = new RawHttp(host.mcp)) {
            http.send(request + "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttp.Answer first = http.read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).contains("worked 1500 ms");
            RawHttp.Answer second = http.read();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("UP");
        }
    }

    @Test
    void oneConnectionServesAThousandRequestsWithoutBeingClosed() throws Exception {
        try (RawHttp http = new RawHttp(host.mcp)) {
            for (int i = 1; i <= 1000; i++) {
                RawHttp.Answer a = http.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
                assertThat(a.status()).as("request %d", i).isEqualTo(200);
                assertThat(a.header("Connection")).as("request %d", i).isNotEqualToIgnoringCase("close");
            }
        }
    }

    @Test
    void connectionsPastTheCapGet503AndTheCapRecovers() throws Exception {
        try (TestHost capped = TestHost.start(root.resolve("capped"), Map.of("http.maxConnections", "3"))) {
            List<RawHttp> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawHttp h = new RawHttp(capped.mcp);
                    held.add(h);
                    h.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    assertThat(h.read().status()).isEqualTo(200);
                }
                try (RawHttp extra = new RawHttp(capped.mcp)) {
                    RawHttp.Answer refused = extra.read();
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.header("Retry-After")).isNotBlank();
                    assertThat(McpClient.JSON.readTree(refused.body()).get("status").asInt()).isEqualTo(503);
                    assertThat(extra.closedByServer()).isTrue();
                }
            } finally {
                for (RawHttp h : held) {
                    h.close();
                }
            }
            Eventually.await("a new connection once the held ones closed", () -> {
                try (RawHttp again = new RawHttp(capped.mcp)) {
                    again.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    return again.read().status() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }
}
