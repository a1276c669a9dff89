package dev.plugboard.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.junit.jupiter.api.Test;

/**
 * A real Grizzly server set up as the front door is (requests handled on the network thread), whose
 * handler holds every response and lets another thread write it, as a plugin's thread does.
 */
class RecycledRequestsTest {

    private static final int REQUESTS = 12;

    @Test
    void theNetworkThreadReusesTheRequestsAnotherThreadFinished() throws Exception {
        Set<Request> seen = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        ExecutorService finisher = Executors.newSingleThreadExecutor();
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("test", "127.0.0.1", 0);
        listener.getTransport().setIOStrategy(SameThreadIOStrategy.getInstance());
        server.addListener(listener);
        server.getServerConfiguration().addHttpHandler(new HttpHandler() {
            @Override
            public void service(Request request, Response response) {
                seen.add(request);
                HeldResponse held = HeldResponse.hold(response);
                finisher.execute(() -> {
                    try {
                        McpHttpHandler.writeJson(response, 200, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } finally {
                        held.release();
                    }
                });
                RecycledRequests.refill(); // what FrontDoorHandler does on the network thread
            }
        }, "/");
        server.start();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI uri = URI.create("http://127.0.0.1:" + listener.getPort() + "/");
            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("{\"ok\":true}");
            }
        } finally {
            server.shutdownNow();
            finisher.shutdownNow();
        }
        // Without the hand-back every request would be parsed into new objects: the finishing
        // thread's cache keeps what it recycled, and the network thread's stays empty.
        assertThat(seen).hasSizeLessThan(REQUESTS);
    }
}
