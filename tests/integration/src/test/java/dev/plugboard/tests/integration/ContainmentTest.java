package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plugin calls are contained: a real framework runs the misbehaving fixture (calls that spin, hang
 * or block in a static initialiser, all ignoring interrupts; allocations past the heap; threads left
 * behind) beside a well-behaved plugin, and health and the other plugin keep answering.
 */
class ContainmentTest {

    private static final String PLUGIN = "dev.plugboard.fixtures.misbehaving";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** CPU time the computing call uses: far more than the watch needs to see it busy, half a runaway's. */
    private static final int COMPUTE_MILLIS = 1000;

    @TempDir
    Path root;

    /** Gates the test opens when it ends, so that no call of the fixture runs on. */
    private static final class Gates implements AutoCloseable {
        private final List<String> opened = new ArrayList<>();

        String create(String name) {
            String gate = name + "-" + UUID.randomUUID();
            opened.add(gate);
            return gate;
        }

        /** A gate whose name the fixture fixes. */
        String fixed(String gate) {
            opened.add(gate);
            return gate;
        }

        void open(String gate) {
            System.setProperty("plugboard.fixture." + gate, "open");
        }

        @Override
        public void close() {
            opened.forEach(this::open);
        }
    }

    static Stream<Arguments> misbehaviours() {
        int moreThanCores = Runtime.getRuntime().availableProcessors() + 1;
        List<Arguments> out = new ArrayList<>();
        for (String tool : List.of("block_in_static_init", "spin", "hang")) {
            out.add(Arguments.of(tool, 2));
            out.add(Arguments.of(tool, moreThanCores));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} calls of {0}")
    @MethodSource("misbehaviours")
    void healthAndOtherPluginsAnswerWhileCallsMisbehave(String tool, int calls) throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("tools.timeoutSeconds", "600"), "fixture-misbehaving",
                "fixture-hello-v1"); Gates gates = new Gates()) {
            boolean staticInit = tool.equals("block_in_static_init");
            String gate = staticInit ? gates.fixed("static-init") : gates.create(tool);
            String arguments = staticInit ? "{}" : "{\"gate\":\"" + gate + "\"}";
            System.clearProperty("plugboard.fixture.static-init");
            McpClient client = new McpClient(host.mcp).initialize();
            List<CompletableFuture<JsonNode>> running = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                running.add(CompletableFuture.supplyAsync(() -> call(client, tool, arguments)));
            }
            Eventually.await(calls + " calls of " + tool + " to run", () -> plugin(ready(host)).path("running").asInt() == calls);

            assertThat(readyStatus(host)).isEqualTo(200);
            assertThat(client.callTool("hello", "{\"name\":\"Ann\"}").at("/content/0/text").asText())
                    .isEqualTo("Hello, Ann! (v1)");
            assertThat(new McpClient(host.mcp).initialize().callTool("hello", "{\"name\":\"Bo\"}")
                    .at("/content/0/text").asText()).isEqualTo("Hello, Bo! (v1)");
            assertThat(client.callTool("ping", "{}").at("/content/0/text").asText()).isEqualTo("pong");
            assertThat(running).noneMatch(CompletableFuture::isDone);

            gates.open(gate);
            for (CompletableFuture<JsonNode> r : running) {
                assertThat(r.join().path("isError").asBoolean()).isFalse();
            }
            Eventually.await("the calls to end", () -> plugin(ready(host)).path("running").asInt() == 0);
        } finally {
            System.clearProperty("plugboard.fixture.static-init");
        }
    }

    /**
     * A call that computes for a while, as a first call that loads classes or warms an index does, is
     * lowered like any busy call but still finishes while other processes, even at the lowest
     * priority, keep every CPU busy: lowering must not starve it until the machine is idle.
     */
    @Test
    void aCallThatComputesForAWhileFinishesWhileOtherProcessesKeepEveryCpuBusy() throws Exception {
        List<Process> spinners = new ArrayList<>();
        try (TestHost host = TestHost.start(root, Map.of(), "fixture-misbehaving")) {
            McpClient client = new McpClient(host.mcp).initialize();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                spinners.add(new ProcessBuilder("nice", "-n", "19", "sh", "-c", "while :; do :; done")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start());
            }
            CompletableFuture<JsonNode> computed = CompletableFuture.supplyAsync(
                    () -> call(client, "compute", "{\"millis\":" + COMPUTE_MILLIS + "}"));

            Eventually.await("the computing call to finish", Duration.ofSeconds(120), computed::isDone);
            assertThat(text(computed.join())).isEqualTo("computed " + COMPUTE_MILLIS + " ms");
        } finally {
            for (Process p : spinners) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void timedOutCallsAreAnsweredAtOnceKeepTheirSlotsAndDegradeThePluginUntilTheyEnd() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("plugins.maxStuckCalls", "3", "plugins.stuckAfterMillis", "50",
                "tools.timeoutSeconds", "2"),
                "fixture-misbehaving", "fixture-hello-v1"); Gates gates = new Gates()) {
            String gate = gates.create("limits");
            McpClient client = new McpClient(host.mcp).initialize();
            String args = "{\"gate\":\"" + gate + "\"}";

            // The tool's own limits: 1 s, 2 calls. Each call is answered while its thread still runs.
            for (int i = 0; i < 2; i++) {
                JsonNode timedOut = client.callTool("hang_with_limits", args);
                assertThat(timedOut.path("isError").asBoolean()).isTrue();
                assertThat(text(timedOut)).contains("hang_with_limits").contains("did not finish within 1 s");
            }
            assertThat(plugin(ready(host)).path("running").asInt()).isEqualTo(2);

            JsonNode busy = client.callTool("hang_with_limits", args);
            assertThat(busy.path("isError").asBoolean()).isTrue();
            assertThat(text(busy)).contains("busy");

            Eventually.await("both calls to count as stuck", () -> plugin(ready(host)).path("stuck").asInt() == 2);
            assertThat(plugin(ready(host)).path("degraded").asBoolean()).isFalse();

            // A third stuck call (the host's 2 s limit) degrades the plugin.
            assertThat(text(client.callTool("hang", args))).contains("did not finish within 2 s");
            Eventually.await("the plugin to be degraded", () -> plugin(ready(host)).path("degraded").asBoolean());
            assertThat(plugin(ready(host)).path("stuck").asInt()).isEqualTo(3);
            JsonNode refused = client.callTool("ping", "{}");
            assertThat(refused.path("isError").asBoolean()).isTrue();
            assertThat(text(refused)).contains("degraded").contains(PLUGIN);
            assertThat(client.callTool("hello", "{\"name\":\"Cy\"}").at("/content/0/text").asText())
                    .isEqualTo("Hello, Cy! (v1)");
            assertThat(readyStatus(host)).isEqualTo(200);

            gates.open(gate);
            Eventually.await("the stuck calls to end", () -> {
                JsonNode p = plugin(ready(host));
                return p.path("stuck").asInt() == 0 && p.path("running").asInt() == 0 && !p.path("degraded").asBoolean();
            });
            assertThat(client.callTool("ping", "{}").at("/content/0/text").asText()).isEqualTo("pong");
            assertThat(text(client.callTool("hang_with_limits", args))).isEqualTo("released");
        }
    }

    @Test
    void outOfMemoryAndStackOverflowEndOnlyTheirCall() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "fixture-misbehaving", "fixture-hello-v1")) {
            McpClient client = new McpClient(host.mcp).initialize();
            JsonNode oom = client.callTool("allocate_too_much", "{}");
            assertThat(oom.path("isError").asBoolean()).isTrue();
            assertThat(text(oom)).contains("allocate_too_much").contains("ran out of memory");
            JsonNode overflow = client.callTool("overflow", "{}");
            assertThat(overflow.path("isError").asBoolean()).isTrue();
            assertThat(text(overflow)).contains("overflow").contains("stack overflow")
                    .doesNotContain("StackOverflowError");

            assertThat(client.callTool("ping", "{}").at("/content/0/text").asText()).isEqualTo("pong");
            assertThat(client.callTool("hello", "{\"name\":\"Di\"}").at("/content/0/text").asText())
                    .isEqualTo("Hello, Di! (v1)");
            assertThat(readyStatus(host)).isEqualTo(200);
        }
    }

    @Test
    void threadsAPluginLeavesBehindAreReportedAfterItsRemoval() throws Exception {
        String name = "left-behind-" + UUID.randomUUID();
        try (TestHost host = TestHost.start(root, Map.of("plugins.stuckAfterMillis", "50"), "fixture-misbehaving")) {
            McpClient client = new McpClient(host.mcp).initialize();
            assertThat(text(client.callTool("start_thread", "{\"name\":\"" + name + "\"}"))).isEqualTo(name);
            assertThat(plugin(ready(host)).path("leakedThreads")).isEmpty();

            host.undeploy("fixture-misbehaving.jar");
            Eventually.await("the plugin to go", () -> !host.hasTool("ping"));
            Eventually.await("the thread left behind to be reported",
                    () -> plugin(ready(host)).path("leakedThreads").toString().contains(name));

            thread(name).interrupt();
            Eventually.await("the report to end with the thread", () -> plugin(ready(host)).isMissingNode());
        } finally {
            Thread t = thread(name);
            if (t != null) {
                t.interrupt();
            }
        }
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElse(null);
    }

    private static JsonNode call(McpClient client, String tool, String arguments) {
        try {
            return client.callTool(tool, arguments);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode result) {
        return result.at("/content/0/text").asText();
    }

    private static int readyStatus(TestHost host) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(readyUri(host)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static URI readyUri(TestHost host) {
        return host.mcp.resolve("/health/ready");
    }

    private static JsonNode ready(TestHost host) {
        try {
            return McpClient.JSON.readTree(HTTP.send(host.fullReadiness(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The misbehaving plugin's entry in the calls part of /health/ready, or a missing node. */
    private static JsonNode plugin(JsonNode ready) {
        for (JsonNode p : ready.path("calls")) {
            if (PLUGIN.equals(p.path("symbolicName").asText())) {
                return p;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
