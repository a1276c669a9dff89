package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stateless request whose client hangs up is cancelled; requests kept alive on one connection are not. */
class StatelessDisconnectTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path root;

    private static String call(String tool, int millis) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":"
                + "{\"millis\":" + millis + "},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
    }

    private static String post(URI mcp, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(mcp).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", "tools/call").header("Mcp-Name", "slow")
                .build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void hangingUpCancelsTheCallAndFreesItsSlot() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of("tools.maxConcurrentCalls", "1"), "fixture-hello-v1")) {
            byte[] body = call("slow", 60_000).getBytes(StandardCharsets.UTF_8);
            Socket[] hangsUp = new Socket[1];
            // The probe can take the slot first, and the long call then gets "busy": send it again.
            Eventually.await("a minute-long call to hold the tool's only slot", () -> {
                try {
                    if (hangsUp[0] == null || hangsUp[0].getInputStream().available() > 0) {
                        if (hangsUp[0] != null) {
                            hangsUp[0].close();
                        }
                        hangsUp[0] = send(host.mcp, body);
                    }
                    return post(host.mcp, call("slow", 0)).contains("busy");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            hangsUp[0].close();
            Eventually.await("the slot to be free again long before the minute is up", Duration.ofSeconds(20), () -> {
                try {
                    return post(host.mcp, call("slow", 10)).contains("worked 10 ms");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    private static Socket send(URI mcp, byte[] body) throws Exception {
        Socket socket = new Socket(mcp.getHost(), mcp.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2026-07-28\r\n"
                + "Mcp-Method: tools/call\r\nMcp-Name: slow\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    @Test
    void manyRequestsOnOneKeptAliveConnectionAreAllAnswered() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "fixture-hello-v1")) {
            for (int i = 0; i < 500; i++) {
                assertThat(post(host.mcp, call("slow", 0))).contains("worked 0 ms");
            }
        }
    }
}
