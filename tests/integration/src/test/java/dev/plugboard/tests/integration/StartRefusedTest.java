package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that must not start (security refuses a non-loopback address without a configuration)
 * says why, and leaves nothing running: the OSGi framework, which starts beside security, is
 * stopped again and its storage removed.
 */
class StartRefusedTest {

    @TempDir
    Path root;

    @Test
    void aRefusedStartStopsTheFrameworkThatStartedBesideIt() throws IOException {
        assertThatThrownBy(() -> TestHost.start(root, Map.of("http.host", "0.0.0.0"), "fixture-hello-v1"))
                .hasMessageContaining("refusing to serve on a non-loopback address without security");

        Path frameworks = root.resolve("data").resolve("framework");
        String mine = Long.toString(ProcessHandle.current().pid());
        if (Files.isDirectory(frameworks)) {
            try (Stream<Path> storages = Files.list(frameworks)) {
                assertThat(storages.map(p -> p.getFileName().toString()))
                        .as("the framework's storage of this process").doesNotContain(mine);
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .as("the thread that started the framework has ended").doesNotContain("plugboard-framework-start");
    }
}
