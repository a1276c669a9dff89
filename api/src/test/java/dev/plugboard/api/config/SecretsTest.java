package dev.plugboard.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path dir;

    @Test
    void referencesAreReplacedInPlace() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "s3cret\n");
        Secrets secrets = new Secrets(Map.of("API_TOKEN", "abc")::get, dir);
        assertThat(secrets.resolve("Bearer ${env:API_TOKEN}")).isEqualTo("Bearer abc");
        assertThat(secrets.resolve("${file:token.txt}")).isEqualTo("s3cret");
        assertThat(secrets.resolve("plain")).isEqualTo("plain");
        assertThat(secrets.resolve("$${env:API_TOKEN}")).isEqualTo("${env:API_TOKEN}");
        assertThat(secrets.resolve(null)).isNull();
    }

    @Test
    void aMissingSecretNamesTheReferenceNotAValue() {
        Secrets secrets = new Secrets(Map.<String, String>of()::get, dir);
        assertThatThrownBy(() -> secrets.resolve("${env:NOPE}")).hasMessageContaining("NOPE")
                .hasMessageContaining("not set");
        assertThatThrownBy(() -> secrets.resolve("${file:missing.txt}")).hasMessageContaining("missing.txt");
    }
}
