package dev.plugboard.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewPluginTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private String said() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void findsMavenFromPlugboardMvnFirstThenOnThePath(@TempDir Path dir) throws Exception {
        Path mvn = Files.createFile(dir.resolve("mvn"));
        assertThat(mvn.toFile().setExecutable(true)).isTrue();
        assertThat(NewPlugin.findMaven(Map.of("PATH", "/nowhere:" + dir))).contains(mvn);
        assertThat(NewPlugin.findMaven(Map.of("PLUGBOARD_MVN", mvn.toString(), "PATH", ""))).contains(mvn);
        assertThat(NewPlugin.findMaven(Map.of("PATH", "/nowhere"))).isEmpty();
    }

    @Test
    void saysPlainlyWhenMavenIsMissing(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("sdk/repository"));
        int code = NewPlugin.run(home, "weather-" + System.nanoTime(), Map.of(), Map.of("PATH", "/nowhere"),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(said()).contains("Maven was not found").contains("PLUGBOARD_MVN");
    }

    @Test
    void refusesNamesThatCannotBeAnArtifactId(@TempDir Path home) throws Exception {
        int code = NewPlugin.run(home, "Weather Tools", Map.of(), Map.of(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(said()).contains("not a usable name");
    }
}
