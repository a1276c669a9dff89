package dev.plugboard.host.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAccessTest {

    @TempDir
    Path data;

    @Test
    void onlyTheBearerKeyIsAdmittedAndMissingAndWrongKeysGetTheSameDenial() {
        AdminAccess access = AdminAccess.bearerKey("0123456789abcdef-key");
        assertThat(access.check("Bearer 0123456789abcdef-key")).isInstanceOf(AdminAccess.Admitted.class);
        assertThat(access.check("bearer   0123456789abcdef-key ")).isInstanceOf(AdminAccess.Admitted.class);
        AdminAccess.Decision missing = access.check(null);
        assertThat(missing).isInstanceOf(AdminAccess.Denied.class);
        assertThat(((AdminAccess.Denied) missing).status()).isEqualTo(401);
        for (String wrong : new String[] {"", "Bearer", "Bearer wrong", "Basic 0123456789abcdef-key",
            "Bearer 0123456789abcdef-ke", "Bearer 0123456789abcdef-keyy", "0123456789abcdef-key"}) {
            assertThat(access.check(wrong)).as(wrong).isEqualTo(missing);
        }
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyAndReusedAfterwards() throws Exception {
        String first = AdminKey.loadOrCreate(data);
        Path file = data.resolve(AdminKey.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first).hasSizeGreaterThanOrEqualTo(40);
        assertThat(AdminKey.loadOrCreate(data)).isEqualTo(first);
        Files.delete(file);
        assertThat(AdminKey.loadOrCreate(data)).isNotEqualTo(first);
    }
}
