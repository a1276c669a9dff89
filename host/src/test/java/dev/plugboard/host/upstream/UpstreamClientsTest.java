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
    void aCallAfterTheServerExitedSaysWhyItExited() throws Exception {
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"serverInfo\":{\"name\":\"brief\",\"version\":\"1\"}}}";
        try (var connection = clients.connect(shell("read line; echo '" + answer + "'; read line;"
                + " echo 'Error: token expired' >&2; exit 4"), Duration.ofSeconds(20), (method, params) -> { })) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (connection.isOpen()) {
                assertThat(System.nanoTime()).as("the connection to see the process exit").isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }

            assertThat(connection.request("tools/list", null, null))
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(UpstreamException.class)
                    .withMessage("the connection to sh ended: its process exited with code 4"
                            + " (its last error output: Error: token expired)");
        }
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
            } else if (body.contains("\"huge\"") || body.contains("\"hugeStream\"")) {
                boolean stream = body.contains("\"hugeStream\"");
                exchange.getResponseHeaders().add("Content-Type", stream ? "text/event-stream" : "application/json");
                exchange.sendResponseHeaders(200, 0);
                try (var out = exchange.getResponseBody()) {
                    out.write((stream ? "data: " : "").getBytes(StandardCharsets.UTF_8));
                    out.write(" ".repeat(Wire.MAX_MESSAGE + 1).getBytes(StandardCharsets.UTF_8));
                    out.write((stream ? "\n\n" : "").getBytes(StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    // the client stopped reading past its limit
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
            assertThatThrownBy(() -> c.request("tools/call", "{\"name\":\"huge\",\"arguments\":{}}", null)
                    .get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .cause().hasMessageEndingWith("could not be reached: its answer is longer than the limit of "
                            + Wire.MAX_MESSAGE + " bytes");
            assertThatThrownBy(() -> c.request("tools/call", "{\"name\":\"hugeStream\",\"arguments\":{}}", null)
                    .get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .cause().hasMessageEndingWith("could not be read: its stream sent a line longer than the limit of "
                            + Wire.MAX_MESSAGE + " bytes");
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

    /**
     * A fault-injecting HTTP/1.1 server on a raw loopback socket: each request (method, path, body)
     * goes to the handler with its connection, which answers, holds or drops it.
     */
    private static final class RawServer implements AutoCloseable {

        /** One connection's request; the handler writes the whole answer, or nothing. */
        interface Handler {
            void handle(String method, String body, java.io.OutputStream out, java.net.Socket socket) throws Exception;
        }

        private final java.net.ServerSocket socket;

        RawServer(Handler handler) throws java.io.IOException {
            socket = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        java.net.Socket s = socket.accept();
                        Thread.ofVirtual().start(() -> serve(s, handler));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
        }

        private static void serve(java.net.Socket s, Handler handler) {
            try (s) {
                java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                while (true) {
                    String requestLine = line(in);
                    if (requestLine == null) {
                        return;
                    }
                    int length = 0;
                    for (String h; !(h = line(in)).isEmpty();) {
                        if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(h.substring(15).trim());
                        }
                    }
                    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    handler.handle(requestLine.split(" ")[0], body, s.getOutputStream(), s);
                    if (s.isClosed()) {
                        return;
                    }
                }
            } catch (Exception e) {
                // the client went away
            }
        }

        private static String line(java.io.InputStream in) throws java.io.IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n';) {
                if (c < 0) {
                    return null;
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        static void answer(java.io.OutputStream out, int status, String headers, String body) throws java.io.IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " X\r\n" + headers + "Content-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
        }

        /** Holds a request unanswered until the client closes its connection; then counts down. */
        static void hold(java.net.Socket s, java.util.concurrent.CountDownLatch closed) throws java.io.IOException {
            try {
                while (s.getInputStream().read() >= 0) {
                    // nothing more is expected
                }
            } catch (java.io.IOException e) {
                // reset: closed as well
            }
            closed.countDown();
            s.close();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    private static String idOf(String body) {
        return body.replaceAll("(?s).*\"id\":(\\d+).*", "$1");
    }

    private static String initializeAnswer(String body) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + idOf(body) + ",\"result\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    }

    @Test
    void aStalledSsePostEndpointFailsItsRequestInTimeAndNeverHoldsTheCaller() throws Exception {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<java.io.OutputStream> events = new java.util.concurrent.atomic.AtomicReference<>();
        try (RawServer server = new RawServer((method, body, out, socket) -> {
            if (method.equals("GET")) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nevent: endpoint\ndata: /messages\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                events.set(out);
                RawServer.hold(socket, new java.util.concurrent.CountDownLatch(1));
            } else if (body.contains("\"initialize\"")) {
                RawServer.answer(out, 202, "", "");
                synchronized (events) {
                    events.get().write(("event: message\ndata: " + initializeAnswer(body) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    events.get().flush();
                }
            } else if (body.contains("\"tools/call\"")) {
                RawServer.hold(socket, held); // stalled: never answers the POST
            } else {
                RawServer.answer(out, 202, "", "");
            }
        }); var c = clients.connect(new UpstreamTarget.Sse(server.uri("/sse"), Map.of()), Duration.ofSeconds(1),
                (method, params) -> { })) {
            java.util.concurrent.CompletableFuture<java.util.concurrent.CompletableFuture<String>> sent =
                    new java.util.concurrent.CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> sent.complete(c.request("tools/call",
                    "{\"name\":\"stall\",\"arguments\":{}}", null)));
            assertThat(caller.join(Duration.ofSeconds(30))).as("the caller's thread is not held by the POST").isTrue();
            assertThatThrownBy(() -> sent.join().get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(UpstreamException.class)
                    .cause().hasMessage("127.0.0.1:" + server.uri("/").getPort() + " could not be reached: it did not"
                            + " answer in time");
            assertThat(held.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the stalled POST's connection is closed")
                    .isTrue();
        }
    }

    @Test
    void aCancelledCallToASessionfulHttpUpstreamClosesItsHeldPostAndTellsTheServer() throws Exception {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
        try (RawServer server = new RawServer((method, body, out, socket) -> {
            if (method.equals("GET") || method.equals("DELETE")) {
                RawServer.answer(out, 405, "", "");
            } else if (body.contains("\"initialize\"")) {
                RawServer.answer(out, 200, "Content-Type: application/json\r\nMcp-Session-Id: s1\r\n", initializeAnswer(body));
            } else if (body.contains("\"tools/call\"") && body.contains("\"hang\"")) {
                RawServer.hold(socket, held);
            } else if (body.contains("\"tools/call\"")) {
                socket.close(); // dropped without a byte of answer
            } else {
                if (body.contains("notifications/cancelled")) {
                    told.countDown();
                }
                RawServer.answer(out, 202, "", "");
            }
        }); var c = clients.connect(new UpstreamTarget.Http(server.uri("/mcp"), Map.of()), "2025-11-25", Duration.ofSeconds(10),
                (method, params) -> { })) {
            assertThat(c.protocolVersion()).isEqualTo("2025-11-25");
            assertThatThrownBy(() -> c.request("tools/call", "{\"name\":\"drop\",\"arguments\":{}}", null)
                    .get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .cause().hasMessage("127.0.0.1:" + server.uri("/").getPort() + " could not be reached: the"
                            + " connection failed");

            var hanging = c.request("tools/call", "{\"name\":\"hang\",\"arguments\":{}}", null);
            assertThatThrownBy(() -> hanging.get(200, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(hanging.cancel(true)).isTrue();
            assertThat(told.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("notifications/cancelled").isTrue();
            assertThat(held.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the held POST's connection is closed")
                    .isTrue();
        }
    }

    @Test
    void anSseServerWhoseEndpointIsNoAddressOrHasNoOriginIsRefusedClearly() throws Exception {
        for (String endpoint : List.of("http://[bad", "mailto:someone@example.com")) {
            try (RawServer server = new RawServer((method, body, out, socket) -> {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nevent: endpoint\ndata: " + endpoint
                        + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                RawServer.hold(socket, new java.util.concurrent.CountDownLatch(1));
            })) {
                assertThatThrownBy(() -> clients.connect(new UpstreamTarget.Sse(server.uri("/sse"), Map.of()),
                        Duration.ofSeconds(20), (method, params) -> { }))
                        .isInstanceOf(UpstreamException.class)
                        .hasMessageEndingWith(endpoint.startsWith("mailto") ? ": its endpoint event names another origin"
                                + " than its event stream's" : ": its endpoint event names no valid address");
            }
        }
    }

    @Test
    void anEventStreamLineOrEventLongerThanTheLimitFailsTheStream() throws Exception {
        List<String> seen = new java.util.ArrayList<>();
        SseReader.read(new java.io.ByteArrayInputStream("data: a\r\ndata: b\r\rdata: c\n\n".getBytes(StandardCharsets.UTF_8)),
                new SseReader.Position(), (event, data) -> seen.add(data), 16);
        assertThat(seen).containsExactly("a\nb", "c");
        assertThatThrownBy(() -> SseReader.read(new java.io.ByteArrayInputStream(("data: " + "x".repeat(40) + "\n\n")
                .getBytes(StandardCharsets.UTF_8)), new SseReader.Position(), (event, data) -> { }, 16))
                .isInstanceOf(Wire.Failure.class).hasMessage("its stream sent a line longer than the limit of 16 bytes");
        assertThatThrownBy(() -> SseReader.read(new java.io.ByteArrayInputStream("data: 0123456789\ndata: 0123456789\n\n"
                .getBytes(StandardCharsets.UTF_8)), new SseReader.Position(), (event, data) -> { }, 16))
                .isInstanceOf(Wire.Failure.class)
                .hasMessage("its stream sent a message longer than the limit of 16 characters");
        // lines cut across reads of the stream's bytes, and characters of several bytes, come out whole
        String text = "é".repeat(1500) + "→" + "x".repeat(3000);
        List<String> decoded = new java.util.ArrayList<>();
        SseReader.read(new java.io.ByteArrayInputStream(("data: " + text + "\r\n\r\ndata: ☃\n\n").getBytes(StandardCharsets.UTF_8)),
                new SseReader.Position(), (event, data) -> decoded.add(data), 1 << 20);
        assertThat(decoded).containsExactly(text, "☃");
    }
}
