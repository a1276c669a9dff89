package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions keep bounded client data, make room by closing the least recently active idle session,
 * refuse with 503 or 429 and Retry-After only when every session is busy, and expire once their GET
 * stream's connection ends.
 */
class SessionLimitsTest {

    @TempDir
    Path root;

    private static String initialize(McpClient c, String capabilities, String name) {
        return c.request("initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":" + capabilities
                + ",\"clientInfo\":{\"name\":\"" + name + "\",\"version\":\"1\"}}");
    }

    @Test
    void oversizedClientDataIsRefusedAtInitialize() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("sessions.maxClientDataBytes", "4096"))) {
            McpClient c = new McpClient(host.mcp);
            McpClient.Reply caps = c.post(initialize(c, "{\"x\":{\"pad\":\"" + "a".repeat(5000) + "\"}}", "big"));
            assertThat(caps.status()).isEqualTo(200);
            assertThat(caps.json().at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(caps.json().at("/error/message").asText()).contains("capabilities").contains("4096");
            assertThat(caps.header("Mcp-Session-Id")).isNull();
            McpClient.Reply info = c.post(initialize(c, "{}", "n".repeat(5000)));
            assertThat(info.json().at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(info.json().at("/error/message").asText()).contains("clientInfo");
            assertThat(host.host.engine()).isNotNull();
            new McpClient(host.mcp).initialize();
        }
    }

    @Test
    void manyLargeInitializeCallsLeaveNothingBehind() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of())) {
            String pad = "a".repeat(1_000_000);
            for (int i = 0; i < 40; i++) {
                McpClient c = new McpClient(host.mcp);
                McpClient.Reply r = c.post(initialize(c, "{\"experimental\":{\"pad\":\"" + pad + "\"}}", "big"));
                assertThat(r.json().at("/error/code").asInt()).isEqualTo(-32602);
            }
            assertThat(host.host.sessions().size()).isZero();
            new McpClient(host.mcp).initialize();
            assertThat(host.host.sessions().size()).isEqualTo(1);
        }
    }

    @Test
    void aFullServerMakesRoomByClosingTheLeastRecentlyActiveIdleSession() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("sessions.max", "3"), "fixture-hello-v1")) {
            List<McpClient> flood = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                flood.add(new McpClient(host.mcp).initialize());
            }
            McpClient newcomer = new McpClient(host.mcp).initialize();
            assertThat(newcomer.callTool("hello", "{\"name\":\"N\"}").at("/content/0/text").asText())
                    .isEqualTo("Hello, N! (v1)");
            McpClient oldest = flood.get(0);
            assertThat(oldest.post(oldest.request("ping", null)).status()).as("the oldest idle session made room")
                    .isEqualTo(404);
            McpClient latest = flood.get(flood.size() - 1);
            assertThat(latest.post(latest.request("ping", null)).status()).isEqualTo(200);
        }
    }

    @Test
    void whenEverySessionIsBusyANewOneGets503WithRetryAfter() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("sessions.max", "2"), "fixture-hello-v1")) {
            McpClient a = new McpClient(host.mcp).initialize();
            McpClient b = new McpClient(host.mcp).initialize();
            try (McpClient.Stream sa = a.openStream(); McpClient.Stream sb = b.openStream()) {
                assertThat(sa.status).isEqualTo(200);
                assertThat(sb.status).isEqualTo(200);
                McpClient c = new McpClient(host.mcp);
                Eventually.await("both streams to attach and a third session to be refused", () -> {
                    try {
                        return c.post(initialize(c, "{}", "third")).status() == 503;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                McpClient.Reply refused = c.post(initialize(c, "{}", "third"));
                assertThat(refused.header("Retry-After")).isEqualTo("10");
                assertThat(refused.json().at("/error/code").asInt()).isEqualTo(-32005);
                assertThat(refused.json().at("/error/message").asText()).contains("try again");
                assertThat(refused.json().at("/error/data/limit").asText()).isEqualTo("sessions.max");
            }
            // The streams' connections ended: those sessions are idle again and make room.
            Eventually.await("a new session once the streams closed", () -> {
                try {
                    McpClient d = new McpClient(host.mcp);
                    return d.post(initialize(d, "{}", "fourth")).status() == 200;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void oneClientAddressGets429PastItsShare() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("sessions.maxPerClient", "1"), "fixture-hello-v1")) {
            McpClient a = new McpClient(host.mcp).initialize();
            try (McpClient.Stream stream = a.openStream()) {
                assertThat(stream.status).isEqualTo(200);
                McpClient b = new McpClient(host.mcp);
                Eventually.await("the stream to attach and a second session to be refused", () -> {
                    try {
                        return b.post(initialize(b, "{}", "second")).status() == 429;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                McpClient.Reply refused = b.post(initialize(b, "{}", "second"));
                assertThat(refused.header("Retry-After")).isNotBlank();
                assertThat(refused.json().at("/error/data/limit").asText()).isEqualTo("sessions.maxPerClient");
            }
        }
    }

    @Test
    void aSessionWhoseStreamEndedExpires() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("sessions.idleTimeoutSeconds", "1"), "fixture-hello-v1")) {
            McpClient c = new McpClient(host.mcp).initialize();
            try (McpClient.Stream stream = c.openStream()) {
                assertThat(stream.status).isEqualTo(200);
            }
            // Watched without requests, which would keep the session active.
            Eventually.await("the session to expire after its stream closed", () -> host.host.sessions().size() == 0);
            assertThat(c.post(c.request("ping", null)).status()).isEqualTo(404);
        }
    }
}
