package dev.plugboard.host.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.plugboard.api.upstream.UpstreamClients;
import dev.plugboard.api.upstream.UpstreamException;
import dev.plugboard.api.upstream.UpstreamTarget;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client side over stdio against real processes that are not good MCP servers. */
class UpstreamClientsTest {

    private final UpstreamClientService service = new UpstreamClientService(new JsonRpcCodec(), "test");
    private final UpstreamClients clients = service.getService(null, null);

    private static UpstreamTarget.Stdio shell(String script) {
        return new UpstreamTarget.Stdio("sh", List.of("-c", script), Map.of(), null);
    }

    @Test
    void aServerThatExitsAtOnceSaysWhyWithItsLastErrorLine() {
        assertThatThrownBy(() -> clients.connect(shell("echo 'starting' >&2; echo 'Error: no API key' >&2; exit 3"),
                Duration.ofSeconds(20), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessageEndingWith("its process exited with code 3 (its last error output: Error: no API key)");
    }

    @Test
    void aProgramThatDoesNotExistIsNamedAsSuch() {
        assertThatThrownBy(() -> clients.connect(new UpstreamTarget.Stdio(
                Path.of("/nonexistent/mcp-server").toString(), List.of(), Map.of(), null),
                Duration.ofSeconds(5), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("cannot start /nonexistent/mcp-server: no such program");
    }

    @Test
    void aServerThatWritesSomethingElseThanJsonRpcTimesOutClearly() {
        assertThatThrownBy(() -> clients.connect(shell("echo 'hello, I am not MCP'; echo '{\"odd\": 1}'; sleep 30"),
                Duration.ofMillis(500), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("sh did not answer initialize within 500 ms");
    }

    @Test
    void aServerThatSpeaksAnUnknownRevisionIsRefused() {
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"1999-01-01\","
                + "\"capabilities\":{},\"serverInfo\":{\"name\":\"old\",\"version\":\"1\"}}}";
        assertThatThrownBy(() -> clients.connect(shell("read line; echo '" + answer + "'; sleep 30"),
                Duration.ofSeconds(20), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("sh speaks protocol version '1999-01-01', which this client does not");
    }

    @Test
    void aServerPinnedToTheStatelessRevisionThatDoesNotOfferItIsRefused() {
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"supportedVersions\":[\"2025-11-25\"],"
                + "\"capabilities\":{}}}";
        assertThatThrownBy(() -> clients.connect(shell("read line; echo '" + answer + "'; sleep 30"), "2026-07-28",
                Duration.ofSeconds(20), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("sh does not offer protocol version 2026-07-28 in its server/discover answer");
    }

    @Test
    void anSseServerThatCannotBeReachedOrNamesNoEndpointSaysSo() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> clients.connect(new UpstreamTarget.Sse(URI.create("http://127.0.0.1:" + closed + "/sse"),
                Map.of()), Duration.ofSeconds(5), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("cannot reach 127.0.0.1:" + closed + ": the connection was refused");

        HttpServer garbage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        garbage.createContext("/sse", exchange -> {
            byte[] body = "data: not an endpoint\n\nthis is not an event stream\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        garbage.start();
        try {
            int port = garbage.getAddress().getPort();
            assertThatThrownBy(() -> clients.connect(new UpstreamTarget.Sse(URI.create("http://127.0.0.1:" + port + "/sse"),
                    Map.of()), Duration.ofSeconds(5), (method, params) -> { }))
                    .isInstanceOf(UpstreamException.class)
                    .hasMessage("cannot start 127.0.0.1:" + port + ": its event stream ended before it named its endpoint");
        } finally {
            garbage.stop(0);
        }
    }

    @Test
    void headerValuesThatAreNotPlainAsciiAreMirroredInBase64() {
        assertThat(HttpWire.mirrored("get_weather")).isEqualTo("get_weather");
        assertThat(HttpWire.mirrored("Zürich")).isEqualTo("=?base64?WsO8cmljaA==?=");
        assertThat(HttpWire.mirrored(" padded")).startsWith("=?base64?");
    }
}
