package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sixteen REST callers keep calling a tool of a stable plugin while another plugin is replaced
 * twenty times: no call fails and none hangs.
 */
class RestSwapUnderLoadTest {

    private static final int CALLERS = 16;
    private static final int SWAPS = 20;

    @Test
    void callsToAStableToolNeverFailWhileAnotherBundleIsSwapped(@TempDir Path root) throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("deploy.pollMillis", "50"), "plugboard-conformance")) {
            host.deploy("fixture-hello-v1", "hello.jar");
            Eventually.await("version 1", () -> host.hasTool("slow") && host.hasTool("test_simple_text"));
            URI call = URI.create("http://127.0.0.1:" + host.host.port() + "/api/v1/tools/test_simple_text/call");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            AtomicBoolean swapping = new AtomicBoolean(true);
            AtomicLong calls = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Future<?>> callers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < CALLERS; i++) {
                    callers.add(pool.submit(() -> {
                        while (swapping.get()) {
                            try {
                                HttpResponse<String> r = http.send(HttpRequest.newBuilder(call)
                                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() != 200 || !r.body().contains("This is a simple text response")) {
                                    failures.add(r.statusCode() + " " + r.body());
                                }
                                calls.incrementAndGet();
                            } catch (Exception e) {
                                failures.add(e.toString());
                            }
                        }
                    }));
                }
                try {
                    for (int swap = 1; swap <= SWAPS; swap++) {
                        boolean toV2 = swap % 2 == 1;
                        host.deploy(toV2 ? "fixture-hello-v2" : "fixture-hello-v1", "hello.jar");
                        Eventually.await("swap " + swap, () -> toV2 ? host.hasTool("goodbye") : !host.hasTool("goodbye"));
                    }
                } finally {
                    // a failed swap must stop the callers too: closing the pool waits for them
                    swapping.set(false);
                }
                for (Future<?> f : callers) {
                    // A caller that hangs fails the test here instead of holding it forever.
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            assertThat(failures).isEmpty();
            assertThat(calls.get()).isGreaterThan(CALLERS);
        }
    }
}
