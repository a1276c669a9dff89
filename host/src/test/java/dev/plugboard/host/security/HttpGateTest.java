package dev.plugboard.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpGateTest {

    @Test
    void everySpellingOfAnAdminPathNeedsItsRight() {
        for (String path : new String[] {"/api/v1/keys", "/api/v1/keys/", "/api/v1/keys;x", "/api/v1//keys",
                "/api/v1/%6Beys", "/api/v1/%6beys/alice", "/api/v1/audit"}) {
            assertThat(HttpGate.operationOf(path)).as(path).isEqualTo(Operation.KEYS);
        }
        for (String path : new String[] {"/api/v1/modules", "/api/v1/modules;v=1/x", "/api/v1/%63onfig",
                "/api/v1//config/pid", "/api/v1/admin/logs", "/api/v1/%61dmin/upstreams"}) {
            assertThat(HttpGate.operationOf(path)).as(path).isEqualTo(Operation.ADMIN);
        }
        assertThat(HttpGate.operationOf("/api/v1/tools")).isEqualTo(Operation.CATALOG);
        assertThat(HttpGate.operationOf("/api/v1/keysmith")).isEqualTo(Operation.CATALOG);
        assertThat(HttpGate.operationOf("/mcp")).isNull();
    }

    @Test
    void aMalformedEncodingIsLeftAsSent() {
        assertThat(HttpGate.canonical("/api/v1/%zzkeys")).isEqualTo("/api/v1/%zzkeys");
        assertThat(HttpGate.canonical("/")).isEqualTo("/");
    }
}
