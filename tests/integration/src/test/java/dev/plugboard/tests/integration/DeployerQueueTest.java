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
 * work is queued and the moment it runs (the watcher's scan and an admin removal racing).
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
        deployer = new BundleDeployer(framework.context(), catalog, Duration.ofSeconds(10), new PluginThreads());
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
}
