package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP-over-WebSocket door of a real host (Felix, the essentials and conformance bundles, HTTP on
 * loopback, credentials required) driven by the JDK's WebSocket client: a session over one
 * connection with tool calls, progress, a server-to-client request and a list change from a bundle
 * dropped in; the stateless revision on the same connection; the handshake's checks (credential,
 * subprotocol, Origin); malformed, binary and oversized messages; pings and the idle timeout; the
 * session ending with its connection; the requests counted under door {@code websocket}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpWebSocketTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 64 * 1024;
    /** Each credential's request limit: far above what one test's key sends, reached on purpose by one test. */
    private static final int REQUESTS_PER_MINUTE = 300;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path root;

    private TestHost host;
    private URI door;
    private String key;
    private String adminKey;

    @BeforeAll
    void start() throws Exception {
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/security.json"), "{\"requireCredentials\": true, \"rateLimits\":"
                + " {\"perCredential\": {\"requests\": " + REQUESTS_PER_MINUTE + ", \"intervalSeconds\": 60}}}");
        host = TestHost.start(root, Map.of("websocket.enabled", "true", "websocket.pingSeconds", "1",
                "websocket.idleTimeoutSeconds", "3", "http.maxBodyBytes", Integer.toString(MAX_BYTES)),
                "plugboard-essentials", "plugboard-conformance");
        door = URI.create("ws://127.0.0.1:" + host.host.port() + "/mcp/ws");
        key = "Bearer " + host.host.security().keys().add("ws-user", List.of("user"), List.of(), null).secret();
        adminKey = "Bearer " + Files.readString(root.resolve("data/admin.key")).strip();
        Eventually.await("the conformance tools", () -> host.hasTool("test_tool_with_progress"));
    }

    @AfterAll
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void aConnectionIsASessionWithCallsProgressRequestsToTheClientAndListChanges() throws Exception {
        Client client = connect(Map.of("Authorization", key));
        JsonNode init = client.initialize("jdk-session-test");
        assertThat(init.at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(init.at("/result/serverInfo/name").isTextual()).isTrue();

        JsonNode list = client.request("tools/list", JSON.createObjectNode());
        List<String> names = new ArrayList<>();
        list.at("/result/tools").forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).contains("calculate", "test_tool_with_progress", "test_elicitation");

        JsonNode call = client.request("tools/call", call("calculate", Map.of("expression", "6 * 7")));
        assertThat(call.at("/result/structuredContent/result").asDouble()).isEqualTo(42.0);
        assertThat(call.at("/result/isError").asBoolean(false)).isFalse();

        // progress notifications arrive as frames before the result
        ObjectNode progressCall = call("test_tool_with_progress", Map.of());
        progressCall.putObject("_meta").put("progressToken", "p-1");
        int id = client.send("tools/call", progressCall);
        List<Double> progress = new ArrayList<>();
        JsonNode answer;
        while (!(answer = client.next()).has("id") || answer.path("id").asInt() != id) {
            if ("notifications/progress".equals(answer.path("method").asText())) {
                assertThat(answer.at("/params/progressToken").asText()).isEqualTo("p-1");
                progress.add(answer.at("/params/progress").asDouble());
            }
        }
        assertThat(progress).containsExactly(0.0, 50.0, 100.0);
        assertThat(answer.at("/result/content/0/text").asText()).isEqualTo("Progress completed");

        // a request from the server (elicitation) comes as a frame; its answer goes back as one
        int elicit = client.send("tools/call", call("test_elicitation", Map.of("message", "Who are you?")));
        JsonNode ask = client.nextMatching(m -> "elicitation/create".equals(m.path("method").asText()));
        assertThat(ask.at("/params/message").asText()).isEqualTo("Who are you?");
        ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
        reply.set("id", ask.get("id"));
        reply.putObject("result").put("action", "accept").putObject("content").put("username", "ada")
                .put("email", "ada@example.com");
        client.sendRaw(reply.toString());
        JsonNode elicited = client.nextMatching(m -> m.path("id").asInt(-1) == elicit);
        assertThat(elicited.at("/result/content/0/text").asText()).contains("ada");

        // a bundle dropped in: the session hears that its tool list changed
        host.deploy("fixture-hello-v1", "hello.jar");
        client.nextMatching(m -> "notifications/tools/list_changed".equals(m.path("method").asText()));
        Eventually.await("the hello tool", () -> host.hasTool("hello"));
        JsonNode hello = client.request("tools/call", call("hello", Map.of("name", "socket")));
        assertThat(hello.at("/result/isError").asBoolean(false)).as(hello.toString()).isFalse();
        host.undeploy("hello.jar");

        // the session ends with its connection
        assertThat(sessionOf("jdk-session-test")).isTrue();
        client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        Eventually.await("the session to end with its connection", () -> !sessionOf("jdk-session-test"));

        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + host.host.port() + "/metrics")).header("Authorization", adminKey).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).containsPattern("plugboard_requests_seconds_count\\{[^}]*door=\"websocket\"[^}]*"
                + "method=\"tools/call\"[^}]*tool=\"calculate\"");
    }

    @Test
    void theStatelessRevisionIsAnsweredMessageByMessage() throws Exception {
        Client client = connect(Map.of("Authorization", key));
        ObjectNode params = call("calculate", Map.of("expression", "2 + 3"));
        ObjectNode meta = params.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", "2026-07-28");
        meta.putObject("io.modelcontextprotocol/clientCapabilities");
        meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "jdk").put("version", "25");
        JsonNode answer = client.request("tools/call", params);
        assertThat(answer.at("/result/structuredContent/result").asDouble()).as(answer.toString()).isEqualTo(5.0);
        client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void theHandshakeChecksTheCredentialTheSubprotocolAndTheOrigin() throws Exception {
        assertThat(handshakeStatus(Map.of(), "mcp")).isEqualTo(401);
        assertThat(handshakeStatus(Map.of("Authorization", "Bearer pb_not-a-key"), "mcp")).isEqualTo(401);
        assertThat(handshakeStatus(Map.of("Authorization", key), "graphql-transport-ws")).isEqualTo(400);
        assertThat(handshakeStatus(Map.of("Authorization", key, "Origin", "https://evil.example"), "mcp"))
                .isEqualTo(403);
        // refused by the door itself: a whole answer, and the connection closes
        String noSubprotocol = refusedUpgrade("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat\r\n");
        assertThat(noSubprotocol).startsWith("HTTP/1.1 400").contains("application/problem+json")
                .endsWith("\"detail\":\"the upgrade must offer the WebSocket subprotocol 'mcp' (Sec-WebSocket-Protocol)\"}");
        assertThat(refusedUpgrade("Sec-WebSocket-Version: 8\r\nSec-WebSocket-Protocol: mcp\r\n"))
                .startsWith("HTTP/1.1 426").containsIgnoringCase("Sec-WebSocket-Version: 13").contains("\"status\":426");
        // a loopback origin is admitted, as on /mcp
        Client fromPage = connect(Map.of("Authorization", key, "Origin", "http://localhost:3000"));
        fromPage.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void aMalformedMessageIsAnsweredAndTheConnectionStaysOpen() throws Exception {
        Client client = connect(Map.of("Authorization", key));
        client.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        JsonNode error = client.next();
        assertThat(error.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(error.path("id").isMissingNode() || error.get("id").isNull()).as(error.toString()).isTrue();
        assertThat(error.toString()).doesNotContain("jackson", "Exception");
        client.sendRaw("[1, 2]");
        assertThat(client.next().at("/error/code").asInt()).isEqualTo(-32600);
        // before initialize, ping is answered and other requests are refused, as on /mcp
        assertThat(client.request("ping", JSON.createObjectNode()).has("result")).isTrue();
        assertThat(client.request("tools/list", JSON.createObjectNode()).at("/error/code").asInt()).isEqualTo(-32600);
        client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void aKeyRevokedWhileItsConnectionIsOpenIsRefusedAtItsNextRequest() throws Exception {
        var created = host.host.security().keys().add("ws-revoked", List.of("user"), List.of(), null);
        Client client = connect(Map.of("Authorization", "Bearer " + created.secret()));
        client.initialize();
        assertThat(client.request("tools/list", JSON.createObjectNode()).has("result")).isTrue();
        host.host.security().keys().revoke("ws-revoked");
        client.send("tools/list", JSON.createObjectNode());
        assertThat(client.closeCode()).isEqualTo(1008);
    }

    @Test
    void binaryAndOversizedMessagesCloseTheConnection() throws Exception {
        Client binary = connect(Map.of("Authorization", key));
        binary.ws.sendBinary(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)), true).join();
        assertThat(binary.closeCode()).isEqualTo(1003);

        Client big = connect(Map.of("Authorization", key));
        big.initialize();
        String padding = "x".repeat(MAX_BYTES);
        big.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{\"text\":\"" + padding + "\"}}}");
        assertThat(big.closeCode()).isEqualTo(1009);

        // a message just under the limit is taken
        Client fits = connect(Map.of("Authorization", key));
        fits.initialize();
        JsonNode answer = fits.request("tools/call", call("calculate", Map.of("expression", "1 + 1",
                "padding", "y".repeat(MAX_BYTES - 200))));
        assertThat(answer.has("result") || answer.has("error")).isTrue();
        assertThat(fits.ws.isInputClosed()).isFalse();
        fits.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void theServerPingsAndClosesAConnectionThatDoesNotAnswer() throws Exception {
        // The JDK client answers pings by itself: it stays open across several idle timeouts' worth of pings.
        Client live = connect(Map.of("Authorization", key));
        Eventually.await("five pings", Duration.ofSeconds(30), () -> live.pings.get() >= 5);
        assertThat(live.request("ping", JSON.createObjectNode()).has("result")).isTrue();
        live.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

        // A client that never answers: pinged, then closed with 1001.
        try (Socket raw = new Socket("127.0.0.1", host.host.port())) {
            raw.setSoTimeout(30_000);
            OutputStream out = raw.getOutputStream();
            out.write(("GET /mcp/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: mcp\r\nAuthorization: " + key + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(raw.getInputStream());
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("Sec-WebSocket-Protocol: mcp");
            boolean pinged = false;
            for (;;) {
                int opcode = in.readUnsignedByte() & 0x0f;
                int length = in.readUnsignedByte() & 0x7f;
                byte[] payload = in.readNBytes(length);
                if (opcode == 0x9) {
                    pinged = true;
                } else if (opcode == 0x8) {
                    assertThat(pinged).isTrue();
                    assertThat(((payload[0] & 0xff) << 8) | (payload[1] & 0xff)).isEqualTo(1001);
                    assertThat(new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)).contains("idle");
                    break;
                }
            }
        }
    }

    @Test
    void everyRequestOnAConnectionCountsAgainstItsCredentialsRateLimit() throws Exception {
        String limited = "Bearer " + host.host.security().keys().add("ws-limited", List.of("user"), List.of(), null)
                .secret();
        Client client = connect(Map.of("Authorization", limited));
        JsonNode refused = null;
        for (int i = 0; i < REQUESTS_PER_MINUTE && refused == null; i++) {
            JsonNode answer = client.request("ping", JSON.createObjectNode());
            if (answer.has("error")) {
                refused = answer;
            }
        }
        assertThat(refused).as("a request over the limit").isNotNull();
        assertThat(refused.at("/error/code").asInt()).isEqualTo(-32029);
        assertThat(refused.at("/error/data/retryAfterSeconds").asLong()).isPositive();
        // the connection stays open; a new handshake of the same credential is refused like any request
        assertThat(client.ws.isInputClosed()).isFalse();
        assertThat(handshakeStatus(Map.of("Authorization", limited), "mcp")).isEqualTo(429);
        client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void theDoorIsOffByDefault(@TempDir Path elsewhere) throws Exception {
        try (TestHost plain = TestHost.start(elsewhere, Map.of())) {
            WebSocket.Builder builder = HTTP.newWebSocketBuilder().subprotocols("mcp");
            Throwable failure = null;
            try {
                builder.buildAsync(URI.create("ws://127.0.0.1:" + plain.host.port() + "/mcp/ws"), new Client()).join()
                        .abort();
            } catch (CompletionException e) {
                failure = e.getCause();
            }
            assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) failure).getResponse().statusCode()).isEqualTo(404);
        }
    }

    /** Everything the server sends for an upgrade with these headers, up to its closing the connection. */
    private String refusedUpgrade(String headers) throws IOException {
        try (Socket raw = new Socket("127.0.0.1", host.host.port())) {
            raw.setSoTimeout(30_000);
            raw.getOutputStream().write(("GET /mcp/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: " + key
                    + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private boolean sessionOf(String clientName) {
        return host.host.sessions().all().stream().anyMatch(s -> s.client() != null
                && clientName.equals(s.client().name()));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection ended in the handshake: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static ObjectNode call(String tool, Map<String, ?> arguments) {
        ObjectNode params = JSON.createObjectNode().put("name", tool);
        params.set("arguments", JSON.valueToTree(arguments));
        return params;
    }

    private Client connect(Map<String, String> headers) {
        Client client = new Client();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().subprotocols("mcp").connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        client.ws = builder.buildAsync(door, client).join();
        assertThat(client.ws.getSubprotocol()).isEqualTo("mcp");
        return client;
    }

    /** The HTTP status a handshake is refused with. */
    private int handshakeStatus(Map<String, String> headers, String subprotocol) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().subprotocols(subprotocol)
                .connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        Throwable failure = null;
        try {
            builder.buildAsync(door, new Client()).join().abort();
        } catch (CompletionException e) {
            failure = e.getCause();
        }
        assertThat(failure).as("the handshake was refused").isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure).getResponse().statusCode();
    }

    /** One MCP connection over the JDK's WebSocket client. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final AtomicInteger pings = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private final AtomicInteger ids = new AtomicInteger(100);
        WebSocket ws;

        JsonNode initialize() throws Exception {
            return initialize("jdk-websocket");
        }

        JsonNode initialize(String name) throws Exception {
            ObjectNode params = JSON.createObjectNode().put("protocolVersion", "2025-11-25");
            params.putObject("capabilities").putObject("elicitation");
            params.putObject("clientInfo").put("name", name).put("version", "25");
            JsonNode answer = request("initialize", params);
            sendRaw("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            return answer;
        }

        int send(String method, JsonNode params) {
            int id = ids.incrementAndGet();
            ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            message.set("params", params);
            sendRaw(message.toString());
            return id;
        }

        JsonNode request(String method, JsonNode params) throws Exception {
            int id = send(method, params);
            return nextMatching(m -> m.path("id").asInt(-1) == id && !m.has("method"));
        }

        void sendRaw(String text) {
            ws.sendText(text, true).join();
        }

        JsonNode next() throws InterruptedException {
            JsonNode message = messages.poll(30, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within 30 s");
            }
            return message;
        }

        JsonNode nextMatching(java.util.function.Predicate<JsonNode> accept) throws InterruptedException {
            for (;;) {
                JsonNode message = next();
                if (accept.test(message)) {
                    return message;
                }
            }
        }

        int closeCode() throws Exception {
            return closed.get(30, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    messages.add(JSON.createObjectNode().put("unparsable", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
