package dev.plugboard.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.security.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {

    @TempDir
    Path home;

    @Test
    void addPrintsTheKeyOnceAndStoresOnlyItsDigestOwnerOnly() throws Exception {
        CliRun add = CliRun.of(home, "keys", "add", "teammate", "--role", "user", "--tools", "essentials.*",
                "--expires", "30d");
        assertThat(add.code()).as(add.err()).isZero();
        String key = add.out().strip();
        assertThat(key).startsWith(ApiKeys.PREFIX);
        assertThat(add.err()).contains("teammate").contains("essentials.*").doesNotContain(key);
        Path file = home.resolve("data").resolve(ApiKeys.FILE);
        String stored = Files.readString(file);
        assertThat(stored).contains("teammate").doesNotContain(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ApiKeys keys = new ApiKeys(home.resolve("data"), new ObjectMapper());
        assertThat(keys.find(key)).get().satisfies(k -> {
            assertThat(k.name()).isEqualTo("teammate");
            assertThat(k.tools()).containsExactly("essentials.*");
            assertThat(k.expires()).isNotNull();
        });
        assertThat(Files.readString(home.resolve("data").resolve("audit.log"))).contains("keys.add teammate")
                .doesNotContain(key);
    }

    @Test
    void listShowsKeysWithoutSecretsAndRevokeRemovesThem() {
        String key = CliRun.of(home, "keys", "add", "ci", "--role", "operator").out().strip();
        CliRun list = CliRun.of(home, "keys", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("ci").contains("operator").contains("never").doesNotContain(key);
        CliRun revoke = CliRun.of(home, "keys", "revoke", "ci");
        assertThat(revoke.code()).as(revoke.err()).isZero();
        assertThat(new ApiKeys(home.resolve("data"), new ObjectMapper()).find(key)).isEmpty();
        assertThat(CliRun.of(home, "keys", "list").out()).contains("No API keys");
    }

    @Test
    void aNameCannotPassForAnotherKeysIdSoRevokingByIdIsUnambiguous() {
        CliRun.of(home, "keys", "add", "first", "--role", "user");
        ApiKeys keys = new ApiKeys(home.resolve("data"), new ObjectMapper());
        String id = keys.list().getFirst().id();
        CliRun lookalike = CliRun.of(home, "keys", "add", id, "--role", "user");
        assertThat(lookalike.code()).isEqualTo(2);
        assertThat(lookalike.err()).contains("cannot be 12 hexadecimal digits");
        CliRun.of(home, "keys", "add", "second", "--role", "user");
        assertThat(CliRun.of(home, "keys", "revoke", id).code()).isZero();
        assertThat(new ApiKeys(home.resolve("data"), new ObjectMapper()).list())
                .extracting(ApiKeys.Key::name).containsExactly("second");
    }

    @Test
    void mistakesAreOneLineAndExitCodeTwo() {
        CliRun unknownRole = CliRun.of(home, "keys", "add", "x", "--role", "wizard");
        assertThat(unknownRole.code()).isEqualTo(2);
        assertThat(unknownRole.err()).contains("unknown role 'wizard'").contains("admin, operator, user");
        CliRun badExpiry = CliRun.of(home, "keys", "add", "x", "--role", "user", "--expires", "soon");
        assertThat(badExpiry.code()).isEqualTo(2);
        assertThat(badExpiry.err()).contains("--expires");
        CliRun.of(home, "keys", "add", "dup", "--role", "user");
        CliRun dup = CliRun.of(home, "keys", "add", "dup", "--role", "user");
        assertThat(dup.code()).isEqualTo(2);
        assertThat(dup.err()).contains("exists already");
        CliRun missing = CliRun.of(home, "keys", "revoke", "nobody");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no API key named 'nobody'");
    }

    @Test
    void customRolesComeFromSecurityJson() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config").resolve("security.json"),
                "{\"roles\":{\"essentials-only\":{\"operations\":[\"catalog\"],\"tools\":[\"essentials.*\"]}}}");
        CliRun add = CliRun.of(home, "keys", "add", "t", "--role", "essentials-only");
        assertThat(add.code()).as(add.err()).isZero();
    }
}
