package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.catalog.Kind;
import dev.plugboard.host.deploy.BundleReport;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a plugin cannot do to the host through deployment: end it, hold other deployments or
 * readiness with a slow start, hold other drops with a long drain, or make its tools unknown while
 * it is updated.
 */
class DeployContainmentTest {

    private static final String ACTIVATOR_GATE = "plugboard.fixture.slow.activator";
    private static final String COMPONENT_GATE = "plugboard.fixture.slow.component";
    private static final String CALL_GATE = "plugboard.fixture.slow.call";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path root;
    TestHost host;

    @AfterEach
    void stop() throws Exception {
        // open every gate, so that nothing the fixtures hold outlives the test
        for (String property : List.of(ACTIVATOR_GATE, COMPONENT_GATE, CALL_GATE)) {
            String gate = System.getProperty(property);
            if (gate != null && !Files.exists(Path.of(gate))) {
                Files.createFile(Path.of(gate));
            }
            System.clearProperty(property);
        }
        if (host != null) {
            host.close();
        }
    }

    private Path gate(String property) {
        Path gate = root.resolve(property);
        System.setProperty(property, gate.toString());
        return gate;
    }

    private HttpResponse<String> ready() throws Exception {
        return HTTP.send(host.fullReadiness(), HttpResponse.BodyHandlers.ofString());
    }

    private Optional<String> state(String file) {
        return host.report(file).map(BundleReport::state);
    }

    @Test
    void aBundleThatWouldEndTheHostIsRefusedWithTheClassAndMethodNamed() throws Exception {
        host = TestHost.start(root, Map.of(), "plugboard-essentials");
        McpClient client = new McpClient(host.mcp).initialize();

        host.deploy("fixture-exiting", "exiting.jar");
        Eventually.await("the refusal", () -> host.report("exiting.jar").isPresent());

        BundleReport report = host.report("exiting.jar").orElseThrow();
        assertThat(report.state()).isEqualTo("FAILED");
        assertThat(report.bundleId()).as("nothing installed").isNull();
        assertThat(report.error()).startsWith("refused: ")
                .contains("dev.plugboard.fixtures.exiting.ExitingTools.quit() calls System.exit")
                .contains("dev.plugboard.fixtures.exiting.Halter.halter() calls Runtime.halt")
                .endsWith("bundles may not end the host");
        assertThat(host.hasTool("quit")).isFalse();
        HttpResponse<String> ready = ready();
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("ExitingTools.quit() calls System.exit");
        assertThat(client.callTool("calculate", "{\"expression\":\"2*3\"}").at("/structuredContent/result").asInt())
                .isEqualTo(6);
    }

    @Test
    void anExitInAnEmbeddedLibraryThrowsInsteadOfEndingTheHost() throws Exception {
        host = TestHost.start(root, Map.of());
        host.deploy("fixture-exiting-library", "library.jar");
        Eventually.await("the plugin", () -> host.hasTool("check_index"));
        McpClient client = new McpClient(host.mcp).initialize();

        JsonNode result = client.callTool("check_index", "{}");

        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(result.at("/content/0/text").asText()).contains("plugins may not end the host");
        assertThat(ready().statusCode()).isEqualTo(200);
        assertThat(host.report("library.jar").map(BundleReport::state)).contains("ACTIVE");
    }

    @Test
    void anUpdateToAVersionThatWouldEndTheHostIsRefusedAndTheOldVersionKeepsServing() throws Exception {
        host = TestHost.start(root, Map.of());
        host.deploy("fixture-hello-v1", "hello.jar");
        Eventually.await("version 1", () -> host.hasTool("hello"));

        host.deploy("fixture-exiting", "hello.jar");
        Eventually.await("the refusal", () -> host.report("hello.jar").map(BundleReport::error)
                .filter(e -> e.startsWith("refused: ")).isPresent());

        BundleReport report = host.report("hello.jar").orElseThrow();
        assertThat(report.error()).contains("ExitingTools.quit() calls System.exit")
                .endsWith("the previous version keeps running");
        assertThat(report.state()).isEqualTo("ACTIVE");
        assertThat(report.version()).isEqualTo("1.0.0");
        assertThat(host.hasTool("quit")).isFalse();
        McpClient client = new McpClient(host.mcp).initialize();
        assertThat(client.callTool("hello", "{\"name\":\"Q\"}").at("/content/0/text").asText()).isEqualTo("Hello, Q! (v1)");
    }

    @Test
    void aSlowActivatorHoldsUpNeitherALaterDropNorItsOwnReport() throws Exception {
        Path activator = gate(ACTIVATOR_GATE);
        host = TestHost.start(root, Map.of("deploy.activationTimeoutSeconds", "600"));

        host.deploy("fixture-slow-activator", "slow.jar");
        Eventually.await("the slow activator to run", () -> Files.exists(Path.of(activator + ".waiting")));
        assertThat(state("slow.jar")).contains("STARTING");

        host.deploy("fixture-greeter", "greeter.jar");
        Eventually.await("the later drop to be served", () -> host.hasTool("greet"));
        assertThat(state("greeter.jar")).contains("ACTIVE");
        assertThat(state("slow.jar")).as("still in its activator").contains("STARTING");
        assertThat(ready().body()).contains("\"STARTING\"");

        Files.createFile(activator);
        Eventually.await("the slow bundle to finish starting", () -> host.hasTool("slow_ping"));
        assertThat(state("slow.jar")).contains("ACTIVE");
    }

    @Test
    void anActivatorPastItsLimitIsFailedAndReportedWithoutHoldingTheRestAtStartUp() throws Exception {
        gate(ACTIVATOR_GATE);
        host = TestHost.start(root, Map.of("deploy.activationTimeoutSeconds", "1"), "fixture-slow-activator",
                "fixture-hello-v1");

        assertThat(host.host.readiness().ready()).isTrue();
        assertThat(host.hasTool("hello")).isTrue();
        BundleReport slow = host.report("fixture-slow-activator.jar").orElseThrow();
        assertThat(slow.state()).isEqualTo("FAILED");
        assertThat(slow.error()).contains("did not finish starting within 1 s")
                .contains("plugboard-activate-dev.plugboard.fixtures.slow");
        HttpResponse<String> ready = ready();
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("did not finish starting within 1 s");
        assertThat(host.hasTool("slow_ping")).isFalse();
    }

    @Test
    void aComponentActivationPastTheLimitIsFailedToo() throws Exception {
        Path component = gate(COMPONENT_GATE);
        host = TestHost.start(root, Map.of("deploy.activationTimeoutSeconds", "1"));

        host.deploy("fixture-slow-activator", "slow.jar");
        Eventually.await("the component's activation to run", () -> Files.exists(Path.of(component + ".waiting")));
        Eventually.await("the start to be failed", () -> state("slow.jar").filter("FAILED"::equals).isPresent());

        assertThat(host.report("slow.jar").orElseThrow().error()).contains("did not finish starting within 1 s");
        assertThat(host.hasTool("slow_ping")).isFalse();
    }

    @Test
    void aDrainOnRemovalDoesNotHoldUpAnotherDrop() throws Exception {
        Path call = gate(CALL_GATE);
        host = TestHost.start(root, Map.of("tools.drainSeconds", "600"));
        host.deploy("fixture-slow-activator", "slow.jar");
        Eventually.await("the plugin", () -> host.hasTool("held_call"));
        McpClient client = new McpClient(host.mcp).initialize();
        CompletableFuture<JsonNode> held = CompletableFuture.supplyAsync(() -> {
            try {
                return client.callTool("held_call", "{}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually.await("the call to be running", () -> Files.exists(Path.of(call + ".waiting")));

        host.undeploy("slow.jar");
        Eventually.await("the plugin's tools to leave the catalogue", () -> !host.hasTool("slow_ping"));
        host.deploy("fixture-greeter", "greeter.jar");
        Eventually.await("the next drop to be served during the drain", () -> host.hasTool("greet"));

        assertThat(held).as("the removed plugin's call is still draining").isNotDone();
        assertThat(client.callTool("greet", "{\"name\":\"Bo\"}").at("/content/0/text").asText()).isEqualTo("Hi Bo!");
        Files.createFile(call);
        assertThat(held.get(30, TimeUnit.SECONDS).at("/content/0/text").asText())
                .as("the call in flight finishes on the old code").isEqualTo("released");
    }

    @Test
    void updatesUnderLoadNeverAnswerUnknownToolAndAnnounceEachChangeOnce() throws Exception {
        host = TestHost.start(root, Map.of());
        AtomicLong toolChanges = new AtomicLong();
        AtomicLong otherChanges = new AtomicLong();
        host.host.catalog().addListener(kinds -> {
            if (kinds.contains(Kind.TOOLS)) {
                toolChanges.incrementAndGet();
            }
            if (kinds.contains(Kind.RESOURCES) || kinds.contains(Kind.PROMPTS)) {
                otherChanges.incrementAndGet();
            }
        });
        host.deploy("fixture-hello-v1", "hello.jar");
        Eventually.await("version 1", () -> host.hasTool("hello") && toolChanges.get() == 1);
        McpClient observer = new McpClient(host.mcp).initialize();

        int callers = 16;
        int swaps = 20;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> load = new ArrayList<>();
        try (McpClient.Stream stream = observer.openStream();
                ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            for (int i = 0; i < callers; i++) {
                McpClient client = new McpClient(host.mcp).initialize();
                String name = "c" + i;
                load.add(CompletableFuture.runAsync(() -> {
                    while (running.get()) {
                        try {
                            String text = client.callTool("hello", "{\"name\":\"" + name + "\"}").at("/content/0/text")
                                    .asText();
                            if (!text.startsWith("Hello, " + name + "!")) {
                                failures.add(text);
                            }
                        } catch (Throwable e) {
                            failures.add(String.valueOf(e.getMessage()));
                        }
                        calls.incrementAndGet();
                    }
                }, pool));
            }
            try {
                for (int swap = 1; swap <= swaps; swap++) {
                    boolean toV2 = swap % 2 == 1;
                    long expected = 1 + swap;
                    host.deploy(toV2 ? "fixture-hello-v2" : "fixture-hello-v1", "hello.jar");
                    Eventually.await("swap " + swap + " (tool changes heard: " + toolChanges + ")",
                            () -> host.report("hello.jar").map(BundleReport::version)
                                    .filter((toV2 ? "2.0.0" : "1.0.0")::equals).isPresent()
                                    && host.hasTool(toV2 ? "goodbye" : "slow") && toolChanges.get() == expected);
                }
            } finally {
                running.set(false);
            }
            for (CompletableFuture<Void> caller : load) {
                caller.get(60, TimeUnit.SECONDS);
            }
            assertThat(failures).as("failed calls out of " + calls.get()).isEmpty();

            JsonNode gone = observer.call("tools/call", "{\"name\":\"goodbye\",\"arguments\":{\"name\":\"x\"}}");
            assertThat(gone.at("/error/message").asText()).isEqualTo("Tool 'goodbye' is no longer available: the plugin "
                    + "that provided it (dev.plugboard.fixtures.hello 2.0.0) was updated to 1.0.0 without it");

            host.deploy("fixture-greeter", "greeter.jar");
            int listChanged = 0;
            while (listChanged < swaps + 1) {
                JsonNode message = stream.next(Duration.ofSeconds(30));
                assertThat(message).as("list_changed number " + (listChanged + 1)).isNotNull();
                assertThat(message.path("method").asText()).isEqualTo("notifications/tools/list_changed");
                listChanged++;
            }
            // listeners hear of a change on their own thread, after the catalogue holds it: wait for the count
            Eventually.await("one change per update, one for the greeter (heard: " + toolChanges + ")",
                    () -> host.hasTool("greet") && toolChanges.get() == 1 + swaps + 1);
            assertThat(otherChanges.get()).isZero();
        }
    }
}
