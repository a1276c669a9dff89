package dev.plugboard.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "admin-key-of-at-least-sixteen-chars";

    @TempDir
    Path root;

    private Security security(boolean loopback, boolean insecure) {
        return Security.create(root.resolve("config"), root.resolve("data"), JSON, ADMIN_KEY, loopback, insecure);
    }

    @Test
    void aNonLoopbackBindWithoutSecurityRefusesToStartUnlessInsecure() throws Exception {
        assertThatThrownBy(() -> security(false, false)).hasMessageContaining("non-loopback")
                .hasMessageContaining("security.json").hasMessageContaining("--insecure");
        assertThat(security(false, true).anonymousAllowed()).isTrue();
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/security.json"), "{}");
        Security configured = security(false, false);
        assertThat(configured.anonymousAllowed()).isFalse();
        assertThat(configured.authenticate(null)).isInstanceOfSatisfying(Security.Refusal.class,
                r -> assertThat(r.status()).isEqualTo(401));
    }

    @Test
    void onLoopbackAnonymousIsTheLocalUserAndAdminStillNeedsACredential() {
        Security s = security(true, false);
        Principal anonymous = ((Security.Pass) s.authenticate(null)).principal();
        assertThat(anonymous.roles()).containsExactly("user");
        assertThat(anonymous.rights().seesEverything()).isTrue();
        assertThat(s.authorize(anonymous, Operation.ADMIN)).isInstanceOfSatisfying(Security.Refusal.class,
                r -> assertThat(r.status()).isEqualTo(401));
        Principal admin = ((Security.Pass) s.authenticate("Bearer " + ADMIN_KEY)).principal();
        assertThat(admin.roles()).containsExactly("admin");
        assertThat(s.adminAccess().check("bearer " + ADMIN_KEY)).isInstanceOf(
                dev.plugboard.host.admin.AdminAccess.Admitted.class);
        assertThat(s.adminAccess().check(null)).isInstanceOf(dev.plugboard.host.admin.AdminAccess.Denied.class);
    }

    @Test
    void apiKeysAreFoundRestrictedExpiredAndRevoked() {
        Security s = security(true, false);
        ApiKeys.Created teammate = s.keys().add("teammate", List.of("user"), List.of("essentials.*"), null);
        Principal p = ((Security.Pass) s.authenticate("Bearer " + teammate.secret())).principal();
        assertThat(p.name()).isEqualTo("teammate");
        assertThat(p.credential()).isEqualTo("key:" + teammate.key().id());
        assertThat(p.rights().mayUseTool("calculate", "plugboard-essentials")).isTrue();
        assertThat(p.rights().mayUseTool("hello", "fixture-hello")).isFalse();
        assertThat(s.authorize(p, Operation.ADMIN)).isInstanceOfSatisfying(Security.Refusal.class,
                r -> assertThat(r.status()).isEqualTo(403));
        s.keys().revoke("teammate");
        assertThat(s.authenticate("Bearer " + teammate.secret())).isInstanceOfSatisfying(Security.Refusal.class,
                r -> assertThat(r.detail()).contains("revoked"));
        assertThat(s.authenticate("Bearer pbk_nothing")).isInstanceOf(Security.Refusal.class);
        assertThat(s.authenticate("Basic abc")).isInstanceOfSatisfying(Security.Refusal.class,
                r -> assertThat(r.error()).isEqualTo("invalid_request"));
        assertThatThrownBy(() -> s.keys().add("late", List.of("user"), List.of(), Instant.now().minusSeconds(5)))
                .hasMessageContaining("future");
    }

    @Test
    void aKeyFileChangedByAnotherProcessIsReadAgain() throws Exception {
        Security s = security(true, false);
        ApiKeys other = new ApiKeys(root.resolve("data"), JSON);
        String key = other.add("offline", List.of("user"), List.of(), null).secret();
        until(() -> s.authenticate("Bearer " + key) instanceof Security.Pass);
        other.revoke("offline");
        until(() -> s.authenticate("Bearer " + key) instanceof Security.Refusal);
    }

    /** Waits (up to 10 s) for a condition: the server reads the key file again within a fraction of a second. */
    private static void until(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the condition did not hold within 10 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void aWrongSecurityFileNamesTheField() throws Exception {
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/security.json"), "{\"oauth\":{\"issuer\":\"https://i\"}}");
        assertThatThrownBy(() -> security(true, false)).hasMessageContaining("'oauth.jwksUri' is required");
        Files.writeString(root.resolve("config/security.json"), "{\"roles\":{\"admin\":{}}}");
        assertThatThrownBy(() -> security(true, false)).hasMessageContaining("built in");
        Files.writeString(root.resolve("config/security.json"), "{\"oauth\":{\"issuer\":\"${env:PLUGBOARD_NO_SUCH_VAR}\"}}");
        assertThatThrownBy(() -> security(true, false)).hasMessageContaining("PLUGBOARD_NO_SUCH_VAR");
    }

    @Test
    void anEditedConfigurationIsPutInForceAndABrokenOneLeavesTheLastGoodInForce() throws Exception {
        Files.createDirectories(root.resolve("config"));
        Path file = root.resolve("config/security.json");
        Files.writeString(file, "{\"roles\": {\"narrow\": {\"tools\": [\"calculate\"]}}}");
        Security s = security(true, false);
        String key = "Bearer " + s.keys().add("k", List.of("narrow"), List.of(), null).secret();
        Principal before = ((Security.Pass) s.authenticate(key)).principal();
        assertThat(before.rights().mayUseTool("hash")).isFalse();
        assertThat(s.reloadIfChanged()).as("nothing changed").isFalse();

        Files.writeString(file, "{\"roles\": {\"narrow\": {\"tools\": [\"calculate\", \"hash\"]}},"
                + " \"requireCredentials\": true, \"rateLimits\": {\"perCredential\": {\"requests\": 1}}}");
        assertThat(s.reloadIfChanged()).isTrue();
        assertThat(((Security.Pass) s.authenticate(key)).principal().rights().mayUseTool("hash")).isTrue();
        assertThat(s.authenticate(null)).isInstanceOf(Security.Refusal.class);
        Principal now = ((Security.Pass) s.authenticate(key)).principal();
        assertThat(s.takeRequest(now)).isNull();
        assertThat(s.takeRequest(now).status()).isEqualTo(429);

        for (String broken : List.of("{not json", "{\"roles\": {\"admin\": {}}}",
                "{\"oauth\": {\"issuer\": \"https://a.example\", \"jwksUri\": \"https://a.example/jwks\","
                        + " \"scopes\": {\"s\": [\"user\"]}}}")) {
            Files.writeString(file, broken);
            assertThat(s.reloadIfChanged()).as(broken).isFalse();
            assertThat(s.configProblem()).as(broken).contains("security.json");
            assertThat(((Security.Pass) s.authenticate(key)).principal().rights().mayUseTool("hash")).isTrue();
            assertThat(s.authenticate(null)).isInstanceOf(Security.Refusal.class);
        }

        Files.delete(file);
        assertThat(s.reloadIfChanged()).isTrue();
        assertThat(s.configProblem()).isNull();
        assertThat(s.authenticate(null)).isInstanceOf(Security.Pass.class);
        assertThat(s.authenticate(key)).as("its role is gone with the file").isInstanceOfSatisfying(Security.Pass.class,
                p -> assertThat(p.principal().rights().mayUseTool("calculate")).isFalse());
    }

    @Test
    void aNonLoopbackServerRefusesAnEditThatWouldLeaveItOpen() throws Exception {
        Files.createDirectories(root.resolve("config"));
        Path file = root.resolve("config/security.json");
        Files.writeString(file, "{}");
        Security s = security(false, false);
        Files.delete(file);
        assertThat(s.reloadIfChanged()).isFalse();
        assertThat(s.configProblem()).contains("non-loopback");
        assertThat(s.authenticate(null)).isInstanceOf(Security.Refusal.class);
    }

    @Test
    void theKeyServiceChecksTheRightTheRolesAndAudits() throws Exception {
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/security.json"),
                "{\"roles\": {\"key-manager\": {\"operations\": [\"catalog\", \"keys\"], \"tools\": [\"a.*\"]}}}");
        Security s = security(true, false);
        KeyManagement keys = s.keyManagement();
        Principal anonymous = ((Security.Pass) s.authenticate(null)).principal();
        assertThatThrownBy(() -> keys.list(anonymous)).isInstanceOfSatisfying(KeyManagement.Refused.class,
                e -> assertThat(e.failure()).isEqualTo(KeyManagement.Failure.FORBIDDEN));
        Principal admin = ((Security.Pass) s.authenticate("Bearer " + ADMIN_KEY)).principal();
        String managerKey = keys.create(admin, new KeyManagement.Request("manager", List.of("key-manager"), null, "1d"))
                .secret();
        Principal manager = ((Security.Pass) s.authenticate("Bearer " + managerKey)).principal();
        assertThatThrownBy(() -> keys.create(manager, new KeyManagement.Request("boss", List.of("admin"), null, null)))
                .isInstanceOfSatisfying(KeyManagement.Refused.class, e -> {
                    assertThat(e.failure()).isEqualTo(KeyManagement.Failure.INVALID);
                    assertThat(e.getMessage()).contains("only an admin");
                });
        assertThatThrownBy(() -> keys.create(manager, new KeyManagement.Request("x", List.of("wizard"), null, null)))
                .hasMessageContaining("unknown role 'wizard'").hasMessageContaining("key-manager");
        ApiKeys.Created user = keys.create(manager, new KeyManagement.Request("u", List.of("user"), List.of("a.*"),
                null));
        assertThatThrownBy(() -> keys.create(manager, new KeyManagement.Request("u", List.of("user"), List.of("a.*"),
                null))).isInstanceOfSatisfying(KeyManagement.Refused.class,
                        e -> assertThat(e.failure()).isEqualTo(KeyManagement.Failure.CONFLICT));
        // nor keys for tools beyond its own, nor revoke a key that administers
        for (List<String> beyond : List.of(List.<String>of(), List.of("*"), List.of("b.*"), List.of("a.x", "c"))) {
            assertThatThrownBy(() -> keys.create(manager, new KeyManagement.Request("wide", List.of("user"), beyond,
                    null))).as(beyond.toString()).isInstanceOfSatisfying(KeyManagement.Refused.class, e -> {
                        assertThat(e.failure()).isEqualTo(KeyManagement.Failure.INVALID);
                        assertThat(e.getMessage()).contains("beyond your own");
                    });
        }
        keys.create(admin, new KeyManagement.Request("peer", List.of("key-manager"), null, null));
        assertThatThrownBy(() -> keys.revoke(manager, "peer")).isInstanceOfSatisfying(KeyManagement.Refused.class,
                e -> assertThat(e.failure()).isEqualTo(KeyManagement.Failure.FORBIDDEN));
        assertThat(keys.list(manager)).extracting(ApiKeys.Key::name).containsExactly("manager", "u", "peer");
        assertThat(keys.revoke(manager, user.key().id()).name()).isEqualTo("u");
        assertThatThrownBy(() -> keys.revoke(manager, "u")).isInstanceOfSatisfying(KeyManagement.Refused.class,
                e -> assertThat(e.failure()).isEqualTo(KeyManagement.Failure.NOT_FOUND));
        assertThat(s.authenticate("Bearer " + user.secret())).isInstanceOf(Security.Refusal.class);
        s.close();
        String audit = Files.readString(root.resolve("data/audit.log"));
        assertThat(audit).contains("\"what\":\"keys.add manager\"").contains("\"what\":\"keys.revoke u\"")
                .contains("\"what\":\"keys.list\",\"outcome\":\"denied\"").contains("only an admin")
                .doesNotContain(managerKey).doesNotContain(user.secret());
    }
}
