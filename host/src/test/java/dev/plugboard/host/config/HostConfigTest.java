package dev.plugboard.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.host.http.HttpSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConfigTest {

    @TempDir
    Path home;

    @Test
    void defaultsApplyWithoutAFile() {
        HostConfig c = HostConfig.load(home, null, Map.of());
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.bundlesDir()).isEqualTo(home.resolve("bundles"));
        assertThat(c.configDir()).isEqualTo(home.resolve("config"));
        assertThat(c.http().responseMode()).isEqualTo(HttpSettings.ResponseMode.AUTO);
        assertThat(c.logFile()).isNull();
    }

    @Test
    void theFileOverridesDefaultsAndTheCommandLineOverridesTheFile() throws IOException {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/plugboard.properties"),
                "http.port=9000\ntools.timeoutSeconds=5\nhttp.allowedOrigins=https://a.example, https://b.example\n");
        HostConfig c = HostConfig.load(home, null, Map.of("http.port", "0", "paths.data", "/tmp/x"));
        assertThat(c.http().port()).isZero();
        assertThat(c.toolTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.http().allowedOrigins()).containsExactlyInAnyOrder("https://a.example", "https://b.example");
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void unknownKeysAndBadValuesAreNamed() {
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("http.prot", "1")))
                .hasMessageContaining("unknown setting 'http.prot'");
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("http.port", "70000")))
                .hasMessageContaining("'http.port' must be between 0 and 65535");
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("sessions.max", "many")))
                .hasMessageContaining("'sessions.max' must be a whole number");
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("http.responseMode", "carrier-pigeon")))
                .hasMessageContaining("auto, json or sse");
    }

    @Test
    void spanExportIsOffByDefaultAndItsEndpointMustBeAnHttpUrl() {
        assertThat(HostConfig.load(home, null, Map.of()).tracing().enabled()).isFalse();
        assertThat(HostConfig.load(home, null, Map.of("tracing.otlp.endpoint", "http://127.0.0.1:4318/v1/traces"))
                .tracing().otlpEndpoint()).hasToString("http://127.0.0.1:4318/v1/traces");
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("tracing.otlp.endpoint", "127.0.0.1:4318")))
                .hasMessage("setting 'tracing.otlp.endpoint' must be an http or https URL, not '127.0.0.1:4318'"
                        + " (from the command line)");
    }

    @Test
    void aBadValueSaysWhereItCameFromAndALogLevelIsCheckedAgainstTheAllowedNames() throws IOException {
        Files.createDirectories(home.resolve("config"));
        Path file = Files.writeString(home.resolve("config/plugboard.properties"), "log.level=LOUD\nsessions.max=x\n");
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("sessions.max", "1")))
                .hasMessage("setting 'log.level' must be one of OFF, SEVERE, WARNING, INFO, CONFIG, FINE, FINER, FINEST, ALL, "
                        + "not 'LOUD' (from " + file + ")");
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("log.level", "fine", "sessions.max", "many")))
                .hasMessage("setting 'sessions.max' must be a whole number, not 'many' (from the command line)");
        assertThat(HostConfig.load(home, null, Map.of("log.level", "fine", "sessions.max", "3")).logLevel()).isEqualTo("FINE");
    }

    @Test
    void theWebSocketDoorIsOffByDefaultAndItsIdleTimeoutMustOutlastItsPings() {
        HostConfig defaults = HostConfig.load(home, null, Map.of());
        assertThat(defaults.webSocket().enabled()).isFalse();
        assertThat(defaults.webSocket().pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.webSocket().idleTimeout()).isEqualTo(Duration.ofSeconds(120));
        HostConfig on = HostConfig.load(home, null, Map.of("websocket.enabled", "true", "websocket.pingSeconds", "5",
                "websocket.idleTimeoutSeconds", "20"));
        assertThat(on.webSocket().enabled()).isTrue();
        assertThat(on.webSocket().idleTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("websocket.pingSeconds", "60",
                "websocket.idleTimeoutSeconds", "60")))
                .hasMessageStartingWith("setting 'websocket.idleTimeoutSeconds' must be greater than websocket.pingSeconds");
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("websocket.enabled", "yes")))
                .hasMessageContaining("'websocket.enabled' must be true or false");
    }
}
