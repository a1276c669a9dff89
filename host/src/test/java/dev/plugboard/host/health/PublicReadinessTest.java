package dev.plugboard.host.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.containment.CallHealth;
import dev.plugboard.host.deploy.BundleReport;
import dev.plugboard.host.deploy.Readiness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public form of the readiness report keeps states and counts and leaves every text out. */
class PublicReadinessTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void statesCountsAndNamesStayAndTextGoes() {
        Map<String, Object> upstream = new java.util.LinkedHashMap<>();
        upstream.put("state", "reconnecting");
        upstream.put("transport", "streamable-http");
        upstream.put("tools", 12);
        upstream.put("breaker", "OPEN");
        upstream.put("lastError", "10.1.2.3:8443 could not be reached: the connection was refused");
        upstream.put("latencyMillis", 4.5);
        upstream.put("toolProblems", Map.of("echo", "its schema at https://internal.example/x does not parse"));
        Map<String, Object> router = Map.of("state", "failed: the examples file /srv/secret.jsonl cannot be used",
                "ready", false);
        Readiness full = Readiness.of(true,
                List.of(new BundleReport("proxy.jar", 7L, "dev.plugboard.proxy", "1.0.0", "ACTIVE", null,
                        List.of("tool x skipped: /home/me/x")),
                        new BundleReport("bad.jar", null, null, null, "FAILED", "cannot open /srv/bad.jar", List.of())),
                List.of(new CallHealth(7, "dev.plugboard.proxy", 2, 1, false, List.of("worker-secret"))),
                Map.of("proxy", Map.of("file", "/etc/plugboard/mcp-servers.json",
                        "upstreams", Map.of("remote", upstream)), "router", router))
                .withStore("redis", false, "redis://user:pw@cache.internal:6379 unreachable since 10:00")
                .withConfigProblem("security.json", "line 3: not valid JSON near \"sk-live\"");

        JsonNode open = PublicReadiness.of(mapper.valueToTree(full));

        assertThat(open.path("ready").asBoolean()).isTrue();
        assertThat(open.path("status").asText()).isEqualTo("DEGRADED");
        JsonNode remote = open.at("/plugins/proxy/upstreams/remote");
        assertThat(remote.path("state").asText()).isEqualTo("reconnecting");
        assertThat(remote.path("breaker").asText()).isEqualTo("OPEN");
        assertThat(remote.path("tools").asInt()).isEqualTo(12);
        assertThat(remote.path("latencyMillis").asDouble()).isEqualTo(4.5);
        assertThat(remote.has("lastError")).isFalse();
        assertThat(remote.has("transport")).isFalse();
        assertThat(open.at("/plugins/router/ready").asBoolean()).isFalse();
        assertThat(open.at("/plugins/router").has("state")).as("a reason under a state key").isFalse();
        assertThat(open.at("/bundles/0/state").asText()).isEqualTo("ACTIVE");
        assertThat(open.at("/bundles/0/bundleId").asInt()).isEqualTo(7);
        assertThat(open.at("/bundles/1/state").asText()).isEqualTo("FAILED");
        assertThat(open.at("/calls/0/stuck").asInt()).isEqualTo(1);
        assertThat(open.at("/store/up").asBoolean()).isFalse();
        assertThat(open.at("/config/security.json/state").asText()).isEqualTo("invalid");
        assertThat(open.toString()).doesNotContain("10.1.2.3").doesNotContain("internal").doesNotContain("/srv")
                .doesNotContain("/home").doesNotContain("/etc").doesNotContain("sk-live").doesNotContain("secret")
                .doesNotContain("dev.plugboard").doesNotContain("proxy.jar");
    }
}
