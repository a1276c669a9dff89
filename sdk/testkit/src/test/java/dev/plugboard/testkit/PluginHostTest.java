package dev.plugboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit against real fixture bundles: what a plugin's own tests do with it. */
class PluginHostTest {

    private static Path fixture(String name) {
        return Path.of(System.getProperty("plugboard.test.fixtures"), name + ".jar");
    }

    @Test
    void callsToolsAndSeesSchemasErrorsAndListChanged() throws Exception {
        try (PluginHost host = PluginHost.start(fixture("fixture-hello-v1"));
             McpTestClient client = host.connect()) {
            JsonNode hello = client.tool("hello");
            assertThat(hello.at("/inputSchema/required/0").asText()).isEqualTo("name");
            assertThat(hello.at("/inputSchema/properties/name/type").asText()).isEqualTo("string");

            CallResult result = client.callTool("hello", Map.of("name", "Ada"));
            assertThat(result.isError()).isFalse();
            assertThat(result.text()).isEqualTo("Hello, Ada! (v1)");

            assertThatThrownBy(() -> client.callTool("hello", Map.of("name", 5)))
                    .isInstanceOfSatisfying(McpErrorException.class, e -> assertThat(e.code()).isEqualTo(-32602))
                    .hasMessageContaining("name");
            assertThatThrownBy(() -> client.tool("goodbye")).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("hello");

            host.deploy(fixture("fixture-hello-v2"), "fixture-hello-v1.jar");
            client.awaitNotification("notifications/tools/list_changed", Duration.ofSeconds(30));
            Eventually.holds(() -> client.tools().stream().anyMatch(t -> t.path("name").asText().equals("goodbye")));
            assertThat(client.callTool("hello", Map.of("name", "Ada")).text()).isEqualTo("Hello, Ada! (v2)");

            client.clearNotifications();
            host.remove("fixture-hello-v1.jar");
            client.awaitNotification("notifications/tools/list_changed", Duration.ofSeconds(30));
            Eventually.holds(() -> client.tools().isEmpty());
        }
    }

    @Test
    void aBundleThatDoesNotDeployFailsTheStartWithTheHostsReason() {
        assertThatThrownBy(() -> PluginHost.start(fixture("fixture-unresolvable")).close())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("fixture-unresolvable.jar");
    }

    @Test
    void buildsABundleFromAClassFolderWithItsManifest(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("META-INF"));
        Files.writeString(dir.resolve("META-INF/MANIFEST.MF"),
                "Manifest-Version: 1.0\nBundle-ManifestVersion: 2\nBundle-SymbolicName: com.example.empty\n");
        Files.writeString(dir.resolve("note.txt"), "hi");
        Path jar = PluginHost.bundleOf(dir);
        assertThat(jar.getFileName().toString()).isEqualTo("com.example.empty.jar");
        try (var zip = new java.util.jar.JarFile(jar.toFile())) {
            assertThat(zip.getManifest().getMainAttributes().getValue("Bundle-SymbolicName")).isEqualTo("com.example.empty");
            assertThat(zip.getEntry("note.txt")).isNotNull();
        }
        assertThatThrownBy(() -> PluginHost.bundleOf(dir.resolve("nothing")))
                .hasMessageContaining("bnd-process");
    }

    /** Polls a condition until it holds or a deadline passes. */
    private static final class Eventually {
        static void holds(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition did not hold within 30 s");
                }
                Thread.sleep(20);
            }
        }
    }
}
