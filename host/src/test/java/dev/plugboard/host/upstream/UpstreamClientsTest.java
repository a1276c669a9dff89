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

    @Test
    void aStatelessServerFoundByDiscoverThatAnswersGarbageOrHangsFailsItsRequestsClearly() throws Exception {
        java.util.List<String> methods = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", exchange -> {
            String method = exchange.getRequestHeaders().getFirst("Mcp-Method");
            methods.add(method + " " + exchange.getRequestHeaders().getFirst("MCP-Protocol-Version")
                    + (exchange.getRequestHeaders().containsKey("Mcp-Name") ? " " + exchange.getRequestHeaders().getFirst("Mcp-Name") : ""));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = body.replaceAll(".*\"id\":(\\d+).*", "$1");
            byte[] answer;
            if ("server/discover".equals(method)) {
                answer = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"supportedVersions\":[\"2026-07-28\"],"
                        + "\"capabilities\":{\"tools\":{}},\"resultType\":\"complete\"}}").getBytes(StandardCharsets.UTF_8);
            } else if (body.contains("\"hang\"")) {
                try {
                    Thread.sleep(Duration.ofMinutes(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            } else if ("subscriptions/listen".equals(method)) {
                exchange.sendResponseHeaders(405, -1);
                exchange.close();
                return;
            } else {
                answer = "<html>not json</html>".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try (var c = clients.connect(new UpstreamTarget.Http(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/mcp"), Map.of()), Duration.ofSeconds(10), (method, params) -> { })) {
            assertThat(c.protocolVersion()).isEqualTo("2026-07-28");
            assertThatThrownBy(() -> c.request("tools/call", "{\"name\":\"garbage\",\"arguments\":{}}", null)
                    .get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(UpstreamException.class)
                    .cause().hasMessageEndingWith("could not be reached: its answer is not JSON");
            var hanging = c.request("tools/call", "{\"name\":\"hang\",\"arguments\":{}}", null);
            assertThatThrownBy(() -> hanging.get(300, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(hanging.cancel(true)).isTrue();
            assertThat(methods).contains("server/discover 2026-07-28", "tools/call 2026-07-28 garbage",
                    "tools/call 2026-07-28 hang");
        } finally {
            server.stop(0);
        }
    }
}
