package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.deploy.BundleReport;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropping, replacing and deleting bundles while clients are connected. */
class HotDeployTest {

    private static final Duration NOTICE = Duration.ofSeconds(30);

    @TempDir
    Path root;
    TestHost host;

    @BeforeEach
    void start() throws Exception {
        host = TestHost.start(root, Map.of("tools.drainSeconds", "2"), "plugboard-essentials");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void addReplaceAndDeleteReachEveryConnectedSession() throws Exception {
        McpClient a = new McpClient(host.mcp).initialize();
        McpClient b = new McpClient(host.mcp).initialize();
        try (McpClient.Stream streamA = a.openStream(); McpClient.Stream streamB = b.openStream()) {
            assertThat(a.toolNames()).doesNotContain("hello");

            host.deploy("fixture-hello-v1", "hello.jar");
            streamA.await("notifications/tools/list_changed", NOTICE);
            streamB.await("notifications/tools/list_changed", NOTICE);
            assertThat(a.toolNames()).contains("hello", "slow").doesNotContain("goodbye");
            assertThat(b.callTool("hello", "{\"name\":\"Ann\"}").at("/content/0/text").asText()).isEqualTo("Hello, Ann! (v1)");

            host.deploy("fixture-hello-v2", "hello.jar");
            streamA.await("notifications/tools/list_changed", NOTICE);
            Eventually.await("version 2 to be active", () -> host.hasTool("goodbye"));
            assertThat(a.toolNames()).contains("hello", "goodbye").doesNotContain("slow");
            assertThat(a.callTool("hello", "{\"name\":\"Ann\"}").at("/content/0/text").asText()).isEqualTo("Hello, Ann! (v2)");
            assertThat(host.report("hello.jar").orElseThrow().version()).isEqualTo("2.0.0");

            host.undeploy("hello.jar");
            streamB.await("notifications/tools/list_changed", NOTICE);
            Eventually.await("the plugin to be gone", () -> !host.hasTool("hello"));
            assertThat(b.toolNames()).doesNotContain("hello", "goodbye").contains("calculate");
            JsonNode gone = b.call("tools/call", "{\"name\":\"hello\",\"arguments\":{\"name\":\"x\"}}");
            assertThat(gone.at("/error/message").asText()).isEqualTo("Tool 'hello' is no longer available: the plugin "
                    + "that provided it (dev.plugboard.fixtures.hello 2.0.0) was stopped or removed");
            assertThat(host.report("hello.jar")).isEmpty();
        }
    }

    @Test
    void aHalfWrittenJarIsNeverInstalled() throws Exception {
        byte[] whole = Files.readAllBytes(TestHost.bundle("fixture-hello-v1"));
        Path target = host.bundles.resolve("hello.jar");
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(whole, 0, whole.length / 2);
            out.flush();
            host.deploy("fixture-gate", "marker.jar");
            Eventually.await("a later, complete jar to be installed", () -> host.report("marker.jar").isPresent());
            assertThat(host.hasTool("hello")).isFalse();
            assertThat(host.report("hello.jar").map(BundleReport::bundleId)).as("no bundle installed").isEmpty();
            out.write(whole, whole.length / 2, whole.length - whole.length / 2);
        }
        Eventually.await("the completed jar to be installed", () -> host.hasTool("hello"));
        assertThat(host.report("hello.jar").orElseThrow().state()).isEqualTo("ACTIVE");
    }

    @Test
    void brokenJarsAreReportedAndDisturbNothing() throws Exception {
        McpClient client = new McpClient(host.mcp).initialize();
        notABundle(host.bundles.resolve("plain.jar"));
        Files.writeString(host.bundles.resolve("garbage.jar"), "this is not a zip file");
        host.deploy("fixture-unresolvable", "unresolvable.jar");
        host.deploy("fixture-failing-activator", "failing-activator.jar");
        host.deploy("fixture-failing-component", "failing-component.jar");
        host.deploy("fixture-hello-v1", "hello.jar");

        Eventually.await("every jar to be reported", () -> host.host.readiness().bundles().size() == 7
                && host.report("garbage.jar").isPresent());
        Eventually.await("the good plugin to be active", () -> host.hasTool("hello"));
        Eventually.await("the bundles that cannot start to be reported", () -> Stream.of("unresolvable.jar",
                "failing-activator.jar").allMatch(f -> host.report(f).map(BundleReport::state).filter("FAILED"::equals)
                .isPresent()));

        assertThat(host.report("plain.jar").orElseThrow()).satisfies(r -> {
            assertThat(r.state()).isEqualTo("FAILED");
            assertThat(r.error()).contains("not an OSGi bundle");
        });
        assertThat(host.report("garbage.jar").orElseThrow().error()).contains("not a readable jar");
        assertThat(host.report("unresolvable.jar").orElseThrow()).satisfies(r -> {
            assertThat(r.state()).isEqualTo("FAILED");
            assertThat(r.error()).contains("could not be started").contains("example.missing");
        });
        assertThat(host.report("failing-activator.jar").orElseThrow()).satisfies(r -> {
            assertThat(r.state()).isEqualTo("FAILED");
            assertThat(r.error()).contains("fixture: this activator fails on purpose");
        });
        Eventually.await("the component failure to be reported", () -> host.report("failing-component.jar")
                .map(BundleReport::problems).filter(p -> !p.isEmpty()).isPresent());
        assertThat(host.report("failing-component.jar").orElseThrow().problems())
                .anySatisfy(p -> assertThat(p).contains("failed to activate").contains("on purpose"));
        assertThat(host.hasTool("unreachable")).isFalse();

        assertThat(client.callTool("hello", "{\"name\":\"Zed\"}").at("/content/0/text").asText()).isEqualTo("Hello, Zed! (v1)");
        assertThat(client.callTool("calculate", "{\"expression\":\"1+1\"}").at("/structuredContent/result").asInt()).isEqualTo(2);
        JsonNode health = client.callTool("current_time", "{}");
        assertThat(health.has("isError")).isFalse();
    }

    @Test
    void aBrokenReplacementLeavesThePreviousVersionRunning() throws Exception {
        host.deploy("fixture-hello-v1", "hello.jar");
        Eventually.await("version 1", () -> host.hasTool("hello"));
        Files.writeString(host.bundles.resolve("hello.jar"), "no longer a jar");
        Eventually.await("the replacement to be rejected",
                () -> host.report("hello.jar").map(BundleReport::error).filter(e -> e.contains("not a readable jar")).isPresent());
        McpClient c = new McpClient(host.mcp).initialize();
        assertThat(c.callTool("hello", "{\"name\":\"Q\"}").at("/content/0/text").asText()).isEqualTo("Hello, Q! (v1)");
    }

    @Test
    void callsInFlightDuringAReplacementFinishOrEndWithAClearError() throws Exception {
        host.deploy("fixture-hello-v1", "hello.jar");
        Eventually.await("version 1", () -> host.hasTool("slow"));
        McpClient c = new McpClient(host.mcp).initialize();
        String shortCall = c.request("tools/call", "{\"name\":\"slow\",\"arguments\":{\"millis\":500},\"_meta\":{\"progressToken\":\"s\"}}");
        String longCall = c.request("tools/call", "{\"name\":\"slow\",\"arguments\":{\"millis\":60000},\"_meta\":{\"progressToken\":\"l\"}}");
        try (McpClient.Stream quick = c.postStreaming(shortCall); McpClient.Stream stuck = c.postStreaming(longCall)) {
            quick.await("notifications/progress", NOTICE);
            stuck.await("notifications/progress", NOTICE);
            CompletableFuture<Void> replaced = CompletableFuture.runAsync(() -> {
                try {
                    host.deploy("fixture-hello-v2", "hello.jar");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            JsonNode finished = last(quick.remaining());
            assertThat(finished.at("/result/content/0/text").asText()).isEqualTo("worked 500 ms");
            JsonNode ended = last(stuck.remaining());
            assertThat(ended.at("/result/isError").asBoolean()).isTrue();
            assertThat(ended.at("/result/content/0/text").asText()).contains("was stopped, updated or removed during the call");
            replaced.join();
        }
        Eventually.await("version 2", () -> host.hasTool("goodbye"));
    }

    private static JsonNode last(java.util.List<JsonNode> messages) {
        assertThat(messages).isNotEmpty();
        return messages.get(messages.size() - 1);
    }

    private static void notABundle(Path path) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(path), m)) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write("a plain jar".getBytes());
        }
    }
}
