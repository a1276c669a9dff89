package dev.plugboard.host.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.upstream.UpstreamClients;
import dev.plugboard.api.upstream.UpstreamConnection;
import dev.plugboard.api.upstream.UpstreamException;
import dev.plugboard.api.upstream.UpstreamTarget;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests under a time limit to a plain {@code http} upstream, sent and answered on the caller's
 * thread ({@link InPlaceHttp}), against a real HTTP/1.1 server on loopback written on a raw socket,
 * so that each test decides the bytes of the answers: kept connections, a server that drops them,
 * chunked answers, a server too slow for the limit, an answer that is not HTTP, an event stream.
 */
class InPlaceHttpTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UpstreamClients clients = new UpstreamClientService(new JsonRpcCodec(), "test").getService(null, null);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    @Test
    void successiveCallsAreAnsweredInPlaceOverOneKeptConnection() throws Exception {
        RawServer server = serve((call, out) -> {
            json(out, call.id(), result(call.text()), "");
            return true;
        });
        UpstreamConnection c = connect(server);
        for (int i = 0; i < 5; i++) {
            CompletableFuture<String> answer = call(c, "n" + i, LIMIT);
            assertThat(answer).as("answered before request returned").isDone();
            assertThat(text(answer.join())).isEqualTo("n" + i);
        }
        List<Call> calls = server.calls(5);
        assertThat(calls).extracting(Call::connection).containsOnly(calls.getFirst().connection());
        assertThat(calls).extracting(Call::session).containsOnly("s1");
        assertThat(calls).extracting(Call::team).containsOnly("bench");
    }

    @Test
    void aServerThatDropsTheConnectionAfterEachAnswerIsCalledOnNewOnes() throws Exception {
        RawServer server = serve((call, out) -> {
            json(out, call.id(), result(call.text()), "");
            return false; // closed without saying so in the answer
        });
        UpstreamConnection c = connect(server);
        for (int i = 0; i < 5; i++) {
            assertThat(text(call(c, "n" + i, LIMIT).get(30, TimeUnit.SECONDS))).isEqualTo("n" + i);
        }
        assertThat(server.calls(5)).extracting(Call::connection).doesNotHaveDuplicates();
    }

    @Test
    void aChunkedAnswerIsReadWholeAndItsConnectionKept() throws Exception {
        RawServer server = serve((call, out) -> {
            byte[] body = answer(call.id(), result(call.text())).getBytes(StandardCharsets.UTF_8);
            int third = body.length / 3;
            ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            chunked.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(chunked, body, 0, third, ";part=1");
            chunk(chunked, body, third, third, "");
            chunk(chunked, body, 2 * third, body.length - 2 * third, "");
            chunked.write("0\r\nX-Trailer: yes\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(chunked.toByteArray());
            out.flush();
            return true;
        });
        UpstreamConnection c = connect(server);
        assertThat(text(call(c, "chunked once", LIMIT).join())).isEqualTo("chunked once");
        assertThat(text(call(c, "chunked twice", LIMIT).join())).isEqualTo("chunked twice");
        List<Call> calls = server.calls(2);
        assertThat(calls.get(1).connection()).isEqualTo(calls.get(0).connection());
    }

    @Test
    void aServerSlowerThanTheLimitTimesOutAndIsToldTheCallIsCancelled() throws Exception {
        RawServer server = serve((call, out) -> true); // reads the call, never answers
        UpstreamConnection c = connect(server);
        CompletableFuture<String> answer = call(c, "slow", Duration.ofMillis(200));
        assertThatThrownBy(answer::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        Call held = server.calls(1).getFirst();
        assertThat(server.closed.poll(30, TimeUnit.SECONDS)).as("the held exchange's connection is closed")
                .isEqualTo(held.connection());
        JsonNode cancelled = server.notification("notifications/cancelled");
        assertThat(cancelled.path("params").path("requestId")).isEqualTo(held.id());
    }

    @Test
    void anAnswerThatIsNotHttpFailsItsCallClearlyAndTheNextCallWorks() throws Exception {
        AtomicInteger count = new AtomicInteger();
        RawServer server = serve((call, out) -> {
            if (count.getAndIncrement() == 0) {
                out.write("SSH-2.0-OpenSSH_9.6\r\nnot an answer\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return false;
            }
            json(out, call.id(), result(call.text()), "");
            return true;
        });
        UpstreamConnection c = connect(server);
        assertThatThrownBy(() -> call(c, "garbage", LIMIT).join()).hasCauseInstanceOf(UpstreamException.class)
                .cause().hasMessageEndingWith("could not be reached: its answer is not HTTP");
        assertThat(text(call(c, "after", LIMIT).join())).isEqualTo("after");
    }

    @Test
    void anEventStreamAnswerIsReadAsAStream() throws Exception {
        RawServer server = serve((call, out) -> {
            String events = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                    + "\"params\":{\"level\":\"info\",\"data\":\"working\"}}\n\n"
                    + "event: message\ndata: " + answer(call.id(), result(call.text())) + "\n\n";
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + events)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            return false;
        });
        UpstreamConnection c = connect(server);
        assertThat(text(call(c, "streamed", LIMIT).get(30, TimeUnit.SECONDS))).isEqualTo("streamed");
        assertThat(text(call(c, "streamed again", LIMIT).get(30, TimeUnit.SECONDS))).isEqualTo("streamed again");
    }

    @Test
    void aChunkedEventStreamAnswerKeepsItsConnectionForTheNextCall() throws Exception {
        RawServer server = serve((call, out) -> {
            byte[] events = ("event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                    + "\"params\":{\"level\":\"info\",\"data\":\"working\"}}\n\n"
                    + "event: message\ndata: " + answer(call.id(), result(call.text())) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            chunked.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(chunked, events, 0, events.length / 2, "");
            chunk(chunked, events, events.length / 2, events.length - events.length / 2, "");
            chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(chunked.toByteArray());
            out.flush();
            return true;
        });
        UpstreamConnection c = connect(server);
        for (int i = 0; i < 5; i++) {
            CompletableFuture<String> answer = call(c, "streamed " + i, LIMIT);
            assertThat(answer).as("the stream was read before request returned").isDone();
            assertThat(text(answer.join())).isEqualTo("streamed " + i);
        }
        List<Call> calls = server.calls(5);
        assertThat(calls).extracting(Call::connection).containsOnly(calls.getFirst().connection());
    }

    @Test
    void anEventStreamThatStaysOpenAfterItsAnswerAnswersItsCallAndLosesItsConnection() throws Exception {
        RawServer server = serve((call, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] event = ("event: message\ndata: " + answer(call.id(), result(call.text())) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            chunk(chunk, event, 0, event.length, "");
            out.write(chunk.toByteArray());
            out.flush();
            return true; // and the stream never ends
        });
        UpstreamConnection c = connect(server);
        CompletableFuture<String> answer = call(c, "answered", LIMIT);
        assertThat(answer).isDone();
        assertThat(text(answer.join())).isEqualTo("answered");
        Call first = server.calls(1).getFirst();
        assertThat(server.closed.poll(30, TimeUnit.SECONDS)).as("the open stream's connection is closed")
                .isEqualTo(first.connection());
        assertThat(text(call(c, "next", LIMIT).join())).isEqualTo("next");
    }

    @Test
    void anEventStreamWithoutItsAnswerPastTheLimitTimesOutAndLosesItsConnection() throws Exception {
        AtomicInteger count = new AtomicInteger();
        RawServer server = serve((call, out) -> {
            if (count.getAndIncrement() == 0) { // a stream without the answer that never ends: the limit passes
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return true;
            }
            json(out, call.id(), result(call.text()), "");
            return true;
        });
        UpstreamConnection c = connect(server);
        CompletableFuture<String> answer = call(c, "held", Duration.ofMillis(200));
        assertThatThrownBy(answer::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        Call held = server.calls(1).getFirst();
        assertThat(server.closed.poll(30, TimeUnit.SECONDS)).as("the cut stream's connection is closed")
                .isEqualTo(held.connection());
        assertThat(server.notification("notifications/cancelled").path("params").path("requestId"))
                .isEqualTo(held.id());
        assertThat(text(call(c, "after", LIMIT).join())).isEqualTo("after");
        assertThat(server.calls(1).getFirst().connection()).isNotEqualTo(held.connection());
    }

    @Test
    void anExpiredSessionIsInitialisedAgainAndTheCallSentAgain() throws Exception {
        AtomicInteger count = new AtomicInteger();
        RawServer server = serve((call, out) -> {
            if (count.getAndIncrement() == 0) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return true;
            }
            json(out, call.id(), result(call.text() + " in " + call.session()), "");
            return true;
        });
        UpstreamConnection c = connect(server);
        assertThat(text(call(c, "renewed", LIMIT).get(30, TimeUnit.SECONDS))).isEqualTo("renewed in s2");
    }

    // --- helpers ---

    private UpstreamConnection connect(RawServer server) throws Exception {
        UpstreamConnection c = clients.connect(new UpstreamTarget.Http(server.uri(), Map.of("X-Team", "bench")),
                "2025-11-25", Duration.ofSeconds(10), (method, params) -> { });
        opened.add(c);
        return c;
    }

    private static CompletableFuture<String> call(UpstreamConnection c, String text, Duration limit) {
        return c.request("tools/call", "{\"name\":\"echo\",\"arguments\":{\"text\":\"" + text + "\"}}", null, limit);
    }

    private static String text(String result) throws IOException {
        return JSON.readTree(result).path("content").path(0).path("text").asText();
    }

    private static String result(String text) {
        return "{\"content\":[{\"type\":\"text\",\"text\":" + JSON.valueToTree(text) + "}]}";
    }

    private static String answer(JsonNode id, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}";
    }

    private static void json(OutputStream out, JsonNode id, String result, String headers) throws IOException {
        byte[] body = answer(id, result).getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + headers + "Content-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static void chunk(ByteArrayOutputStream out, byte[] body, int from, int length, String extension)
            throws IOException {
        out.write((Integer.toHexString(length) + extension + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, from, length);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private RawServer serve(CallHandler handler) throws IOException {
        RawServer server = new RawServer(handler);
        opened.add(server);
        return server;
    }

    /** A {@code tools/call} the server read, with the connection (numbered from 1) it came on. */
    record Call(int connection, JsonNode id, String text, String session, String team) {
    }

    /** Answers a call, or not; false closes its connection after. */
    interface CallHandler {
        boolean handle(Call call, OutputStream out) throws IOException;
    }

    /**
     * An MCP server of the session revision on a raw loopback socket: the handshake, notifications
     * and the GET stream (refused) are answered here, each {@code tools/call} by the test's handler.
     */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final CallHandler handler;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger sessions = new AtomicInteger();
        private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        private final BlockingQueue<JsonNode> notifications = new LinkedBlockingQueue<>();
        /** The connections that carried a call, as the server sees them end. */
        private final BlockingQueue<Integer> closed = new LinkedBlockingQueue<>();
        private final List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();

        RawServer(CallHandler handler) throws IOException {
            this.handler = handler;
            Thread.ofVirtual().start(this::accept);
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/mcp");
        }

        /** The next notification of that method, waiting for it to come. */
        JsonNode notification(String method) throws InterruptedException {
            while (true) {
                JsonNode n = notifications.poll(30, TimeUnit.SECONDS);
                assertThat(n).as("a notification %s", method).isNotNull();
                if (method.equals(n.path("method").asText())) {
                    return n;
                }
            }
        }

        /** The first calls, waiting for them to come. */
        List<Call> calls(int n) throws InterruptedException {
            List<Call> got = new ArrayList<>();
            while (got.size() < n) {
                Call call = calls.poll(30, TimeUnit.SECONDS);
                assertThat(call).as("call %d of %d", got.size() + 1, n).isNotNull();
                got.add(call);
            }
            return got;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    accepted.add(s);
                    int number = connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s, number));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket s, int number) {
            boolean carriedCall = false;
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    String requestLine = line(in);
                    if (requestLine == null) {
                        return;
                    }
                    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                        int colon = l.indexOf(':');
                        headers.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
                    }
                    if (requestLine.startsWith("GET") || requestLine.startsWith("DELETE")) {
                        out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        continue;
                    }
                    JsonNode message = JSON.readTree(in.readNBytes(Integer.parseInt(headers.get("Content-Length"))));
                    String method = message.path("method").asText();
                    if ("initialize".equals(method)) {
                        json(out, message.get("id"), "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{}},"
                                + "\"serverInfo\":{\"name\":\"raw\",\"version\":\"1\"}}",
                                "Mcp-Session-Id: s" + sessions.incrementAndGet() + "\r\n");
                    } else if (!message.has("id")) {
                        notifications.add(message);
                        out.write("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } else {
                        carriedCall = true;
                        Call call = new Call(number, message.get("id"),
                                message.path("params").path("arguments").path("text").asText(),
                                headers.get("Mcp-Session-Id"), headers.get("X-Team"));
                        calls.add(call);
                        if (!handler.handle(call, out)) {
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                // the client went away
            } finally {
                if (carriedCall && !socket.isClosed()) {
                    closed.add(number);
                }
            }
        }

        /** A line without its CRLF, or null at the end of the stream. */
        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return null;
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
