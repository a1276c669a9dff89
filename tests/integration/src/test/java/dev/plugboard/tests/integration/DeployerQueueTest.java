package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Offerings;
import dev.plugboard.host.containment.PluginThreads;
import dev.plugboard.host.deploy.BundleDeployer;
import dev.plugboard.host.deploy.BundleScanner;
import dev.plugboard.host.deploy.DeployEvent;
import dev.plugboard.host.framework.EmbeddedFramework;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployer's queued work against a real framework, where the folder changes between the moment
 * work is queued and the moment it runs (the watcher's scan and an admin removal racing, or two
 * scans whose work overlaps).
 */
class DeployerQueueTest {

    @TempDir
    Path root;
    EmbeddedFramework framework;
    BundleDeployer deployer;
    final List<DeployEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        framework = EmbeddedFramework.start(root.resolve("framework"), Path.of(System.getProperty("plugboard.test.system")),
                Map.of());
        Catalog catalog = new Catalog((component, provider) -> Offerings.ofTools(List.of()), Duration.ofSeconds(2));
        deployer = new BundleDeployer(framework.context(), catalog, Duration.ofSeconds(10), new PluginThreads(),
                root.resolve("scans"), null);
        deployer.addListener(events::add);
    }

    @AfterEach
    void stop() {
        deployer.close();
        framework.close();
    }

    @Test
    void anUpdateQueuedForAJarThatIsThenDeletedReportsNoFailureAndTheRemovalFollows() throws Exception {
        Path jar = Files.copy(TestHost.bundle("fixture-hello-v1"), Files.createDirectories(root.resolve("bundles"))
                .resolve("hello.jar"));
        assertThat(deployer.deploy(jar).join().orElseThrow().state()).isEqualTo("ACTIVE");

        Files.delete(jar);
        deployer.apply(new BundleScanner.Changes(List.of(), List.of(jar), List.of(), List.of())).join();

        assertThat(events).extracting(DeployEvent::action).doesNotContain(DeployEvent.Action.FAILED);
        assertThat(deployer.report(jar).orElseThrow().version()).as("the running version stays until the removal")
                .isEqualTo("1.0.0");
        deployer.undeploy(jar).join();
        assertThat(deployer.report(jar)).isEmpty();
        assertThat(events).extracting(DeployEvent::action).doesNotContain(DeployEvent.Action.FAILED)
                .endsWith(DeployEvent.Action.REMOVED);
    }

    @Test
    void anInstallQueuedForAJarThatIsThenDeletedReportsNoFailure() throws Exception {
        Path jar = Files.createDirectories(root.resolve("bundles")).resolve("gone.jar");
        deployer.apply(new BundleScanner.Changes(List.of(jar), List.of(), List.of(), List.of())).join();

        assertThat(events).isEmpty();
        assertThat(deployer.report(jar)).isEmpty();
    }

    @Test
    void aPluginWhoseLibraryComesInTheNextScanStartsThoughThatScanCameBeforeItWasInstalled() throws Exception {
        Path folder = Files.createDirectories(root.resolve("bundles"));
        Path plugin = manifestOnly(folder.resolve("plugin.jar"), "test.plugin",
                "Import-Package", "test.library.api;version=\"[1,2)\"", 0);
        // a library large enough that its install (copied and checked first) ends after the plugin's start
        Path library = manifestOnly(folder.resolve("library.jar"), "test.library",
                "Export-Package", "test.library.api;version=\"1.0.0\"", 32 << 20);

        // as the watcher does: the next scan is handed over without waiting for the first one's work
        var first = deployer.apply(new BundleScanner.Changes(List.of(plugin), List.of(), List.of(), List.of()));
        var second = deployer.apply(new BundleScanner.Changes(List.of(library), List.of(), List.of(), List.of()));
        first.join();
        second.join();

        assertThat(deployer.report(library).orElseThrow().state()).isEqualTo("ACTIVE");
        assertThat(deployer.report(plugin).orElseThrow().state()).isEqualTo("ACTIVE");
    }

    /**
     * A bundle of a manifest (enough for the framework to resolve it against another) and, when asked,
     * a resource of that many bytes that do not compress.
     */
    private static Path manifestOnly(Path jar, String name, String header, String value, int payload)
            throws Exception {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes main = manifest.getMainAttributes();
        main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", name);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue(header, value);
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            if (payload > 0) {
                byte[] bytes = new byte[payload];
                new java.util.Random(7).nextBytes(bytes);
                out.putNextEntry(new java.util.jar.JarEntry("payload.bin"));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return jar;
    }
}
