package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.testsupport.RedisServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed across two real hosts sharing one real {@code redis-server}: a deploy on node A
 * reaches node B's REST event stream ({@code /api/v1/events}) and its GraphQL {@code moduleEvents}
 * subscription, naming the node it happened on.
 */
class CrossNodeFeedTest {

    @TempDir
    Path root;

    @Test
    void aDeployOnOneNodeReachesTheFeedClientsOfAnother() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TestHost a = TestHost.start(root.resolve("a"), Map.of("store.redis.url", redis.url()));
                TestHost b = TestHost.start(root.resolve("b"), Map.of("store.redis.url", redis.url()))) {
            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + b.host.port() + "/api/v1/events")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith(": watching after");
            GraphqlClient.Socket socket = new GraphqlClient(b.host.port()).socket(Map.of());
            socket.init();
            socket.subscribe("mod", "subscription { moduleEvents { type module file detail } }");
            socket.send("{\"type\":\"ping\"}");
            assertThat(socket.next().path("type").asText()).isEqualTo("pong");

            a.deploy("fixture-results", "results.jar");

            CompletableFuture<JsonNode> rest = CompletableFuture.supplyAsync(() -> {
                try {
                    String event = null;
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.startsWith("event:")) {
                            event = line.substring(6).strip();
                        } else if (line.startsWith("data:") && "module.started".equals(event)) {
                            return McpClient.JSON.readTree(line.substring(5));
                        }
                    }
                    throw new AssertionError("the stream ended");
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            JsonNode started = rest.get(60, TimeUnit.SECONDS);
            assertThat(started.toString()).contains("dev.plugboard.fixtures.results").contains("results.jar");
            assertThat(started.toString()).contains("on node ");
            assertThat(b.report("results.jar")).as("node B deployed nothing itself").isEmpty();

            JsonNode module = null;
            while (module == null) {
                JsonNode message = socket.next();
                if (message.at("/payload/data/moduleEvents/type").asText().equals("module.started")) {
                    module = message.at("/payload/data/moduleEvents");
                }
            }
            assertThat(module.path("module").asText()).isEqualTo("dev.plugboard.fixtures.results");
            assertThat(module.path("file").asText()).isEqualTo("results.jar");
            assertThat(module.path("detail").asText()).startsWith("on node ");
            socket.ws.sendClose(1000, "done").join();
            stream.body().close();
        }
    }
}
