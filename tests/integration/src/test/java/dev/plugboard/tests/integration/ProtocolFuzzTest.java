package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.stdio.StdioTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Throws generated messages of both revisions at a real host (Felix, SCR, the essentials and
 * conformance bundles) over HTTP and over stdio: odd-but-structured messages of every method, with
 * wrong types, huge numbers, deep nesting, odd unicode, missing and extra fields, and garbage. Every
 * answer must be well-formed, no HTTP status may be 5xx and no answer an internal error (-32603), no body
 * may name Java or library internals, the log must hold no stack trace, and each transport must still
 * answer a valid request afterwards.
 *
 * <p>Each test draws its messages from a {@link Random} with a fixed seed, so a failure repeats (its
 * message names the seed and the message number); the three add up to more than 100,000 messages.
 */
class ProtocolFuzzTest {

    /** Package and class names; {@code dev.plugboard/...} is a {@code _meta} key prefix, not an internal name. */
    private static final Pattern INTERNAL = Pattern.compile(
            "dev\\.plugboard(?!/)|com\\.fasterxml|java\\.|jakarta\\.|Exception|\\$[A-Z]|StreamReadConstraints|JsonToken");
    /** Tools that wait for the client or take time on purpose; the fuzz calls the others. */
    private static final Pattern SLOW_TOOLS = Pattern.compile("elicitation|sampling|progress|roots|streaming"
            + "|input_required|slow|countdown|confirm_delete|multi_input|_job|_with_task");

    private static Path root;
    private static TestHost host;
    private static McpClient session;
    private static FuzzMessages messages;
    private static Stdio stdio;
    private static final List<LogRecord> traces = new CopyOnWriteArrayList<>();
    private static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getThrown() != null && record.getLevel().intValue() >= Level.INFO.intValue()) {
                traces.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static final AtomicLong sent = new AtomicLong();
    /** How the answers were distributed, by transport, status and error code: printed at the end. */
    private static final Map<String, AtomicLong> outcomes = new java.util.concurrent.ConcurrentSkipListMap<>();

    @BeforeAll
    static void start() throws Exception {
        Logger.getLogger("").addHandler(capture);
        root = Files.createTempDirectory("plugboard-fuzz");
        host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-conformance");
        Eventually.await("the essentials and conformance tools", () -> host.hasTool("date_difference")
                && host.hasTool("test_simple_text"));
        session = new McpClient(host.mcp).initialize();
        List<FuzzMessages.ToolShape> tools = new ArrayList<>();
        for (JsonNode tool : session.call("tools/list", "{}").at("/result/tools")) {
            if (!SLOW_TOOLS.matcher(tool.get("name").asText()).find()) {
                tools.add(FuzzMessages.ToolShape.of(tool));
            }
        }
        messages = new FuzzMessages(tools);
        stdio = new Stdio();
    }

    @AfterAll
    static void stop() throws IOException {
        Logger.getLogger("").removeHandler(capture);
        try {
            if (stdio != null) {
                stdio.close();
            }
        } finally {
            // a stdio transport that did not end fails the class, but must not leave the host running
            if (host != null) {
                host.close();
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.out.println("ProtocolFuzzTest: " + sent.get() + " generated messages; answers:");
        outcomes.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    }

    // ---- the generated messages ----

    /** One generated message and its checks; the random source is the test's, seeded. */
    @FunctionalInterface
    private interface Try {
        void run(Random random) throws Exception;
    }

    /** Runs a number of tries from one seed; a failure names the seed and the try. */
    private static void tries(long seed, int count, Try one) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            try {
                one.run(random);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", message " + (i + 1) + " of " + count + ": "
                        + e.getMessage(), e);
            }
        }
    }

    @Test
    void sessionMessagesOverHttp() throws Exception {
        tries(20261206L, 30_000, random -> {
            String body = messages.sessionMessage(random);
            String sessionId = switch (random.nextInt(20)) {
                case 0 -> null;
                case 1 -> "not-a-session";
                default -> session.sessionId;
            };
            McpClient.Reply reply = session.post(body, sessionHeaders(sessionId));
            sent.incrementAndGet();
            checkHttp("http session", body, reply);
        });
    }

    @Test
    void statelessMessagesOverHttp() throws Exception {
        tries(20261207L, 30_000, random -> {
            FuzzMessages.HttpMessage message = messages.statelessMessage(random, true);
            Map<String, String> headers = sessionHeaders(null);
            headers.putAll(message.headers());
            McpClient.Reply reply = session.send("POST", message.body(), headers);
            sent.incrementAndGet();
            checkHttp("http stateless", message.body(), reply);
        });
    }

    @Test
    void everyMessageOverStdio() throws Exception {
        tries(20261208L, 45_000, random -> {
            String line = random.nextBoolean() ? messages.sessionMessage(random)
                    : messages.statelessMessage(random, false).body();
            sent.incrementAndGet();
            stdio.exchange(line);
        });
    }

    /** After each test: the log has no stack trace and every transport still answers a valid call. */
    @AfterEach
    void transportsAliveAndLogClean() throws Exception {
        assertThat(traces).as("log records with a stack trace").extracting(r -> r.getLoggerName() + ": "
                + r.getMessage() + " / " + r.getThrown()).isEmpty();
        JsonNode result = new McpClient(host.mcp).initialize().callTool("base64_encode", "{\"text\":\"ok\"}");
        assertThat(result.at("/content/0/text").asText()).isEqualTo("b2s=");
        McpClient.Reply stateless = session.send("POST", statelessCall(), statelessHeaders());
        assertThat(stateless.status()).isEqualTo(200);
        assertThat(stateless.message().at("/result/content/0/text").asText()).isEqualTo("b2s=");
        assertThat(stdio.call("{\"jsonrpc\":\"2.0\",\"id\":\"alive\",\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"base64_encode\",\"arguments\":{\"text\":\"ok\"}}}", "alive")
                .at("/result/content/0/text").asText()).isEqualTo("b2s=");
    }

    // ---- checks ----

    private static Map<String, String> sessionHeaders(String sessionId) {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        if (sessionId != null) {
            h.put("Mcp-Session-Id", sessionId);
        }
        return h;
    }

    private static String statelessCall() {
        return "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"base64_encode\","
                + "\"arguments\":{\"text\":\"ok\"},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
    }

    private static Map<String, String> statelessHeaders() {
        Map<String, String> h = sessionHeaders(null);
        h.put("MCP-Protocol-Version", FuzzMessages.STATELESS);
        h.put("Mcp-Method", "tools/call");
        h.put("Mcp-Name", "base64_encode");
        return h;
    }

    private static void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    private static String kind(JsonNode message) {
        return message.has("error") ? Integer.toString(message.at("/error/code").asInt())
                : message.has("result") ? "result" : "notification";
    }

    private static void checkHttp(String transport, String request, McpClient.Reply reply) {
        String body = reply.raw().body();
        String what = "answer " + reply.status() + " " + abbreviate(body) + "\n  to " + abbreviate(request);
        assertThat(reply.status()).as(what).isBetween(200, 499);
        noInternals(request, body, what);
        if (body.isEmpty()) {
            assertThat(reply.status()).as(what).isIn(202, 204, 400, 403, 404, 405, 406, 413, 415);
            count(transport + " " + reply.status() + " empty");
            return;
        }
        String type = reply.header("Content-Type");
        if (type != null && type.startsWith("text/event-stream")) {
            List<JsonNode> events = new ArrayList<>();
            for (String line : body.split("\n")) {
                if (line.startsWith("data:") && !line.substring(5).isBlank()) {
                    events.add(wellFormed(line.substring(5).trim(), what));
                }
            }
            assertThat(events).as(what).isNotEmpty();
            assertThat(events.getLast().has("id")).as("the stream ends with the response: " + what).isTrue();
            count(transport + " " + reply.status() + " sse " + kind(events.getLast()));
            return;
        }
        assertThat(type).as(what).startsWith("application/json");
        if (reply.status() < 300) {
            count(transport + " " + reply.status() + " " + kind(wellFormed(body, what)));
        } else {
            JsonNode json = json(body, what);
            count(transport + " " + reply.status() + " " + (json.has("jsonrpc") ? kind(wellFormed(body, what)) : "json"));
        }
    }

    /** Parses a JSON-RPC message and checks its shape. */
    private static JsonNode wellFormed(String text, String what) {
        JsonNode m = json(text, what);
        assertThat(m.isObject()).as(what).isTrue();
        assertThat(m.path("jsonrpc").asText()).as(what).isEqualTo("2.0");
        if (m.has("method")) {
            assertThat(m.get("method").isTextual()).as(what).isTrue();
            return m;
        }
        assertThat(m.has("result") != m.has("error")).as("exactly one of result and error: " + what).isTrue();
        if (m.has("error")) {
            assertThat(m.at("/error/code").asInt()).as("the host failing on a client's input: " + what)
                    .isNotEqualTo(-32603);
            assertThat(m.at("/error/code").isInt()).as(what).isTrue();
            assertThat(m.at("/error/message").isTextual()).as(what).isTrue();
            assertThat(m.at("/error/message").asText()).as(what).isNotBlank();
        } else {
            assertThat(m.has("id") && !m.get("id").isNull()).as("a result has the request's id: " + what).isTrue();
        }
        return m;
    }

    private static JsonNode json(String text, String what) {
        try {
            return McpClient.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + what, e);
        }
    }

    /** No internal name in an answer, unless the request itself carried that text (an echo of it). */
    private static void noInternals(String request, String answer, String what) {
        Matcher m = INTERNAL.matcher(answer);
        while (m.find()) {
            assertThat(request).as("an internal name (" + m.group() + ") in " + what).contains(m.group());
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    // ---- stdio over OS pipes ----

    /** A stdio transport on the same host, fed and read through pipes. */
    private static final class Stdio implements AutoCloseable {

        private final OutputStream toServer;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread server;
        private long probes;

        Stdio() throws Exception {
            Pipe in = Pipe.open();
            Pipe out = Pipe.open();
            toServer = Channels.newOutputStream(in.sink());
            InputStream serverIn = Channels.newInputStream(in.source());
            StdioTransport transport = new StdioTransport(host.host.engine(), host.host.codec(), serverIn,
                    Channels.newOutputStream(out.sink()), 4 * 1024 * 1024);
            server = Thread.ofPlatform().name("fuzz-stdio").start(() -> {
                try {
                    transport.run();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            BufferedReader replies = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()),
                    StandardCharsets.UTF_8));
            Thread.ofPlatform().daemon().name("fuzz-stdio-reader").start(() -> {
                try {
                    for (String line; (line = replies.readLine()) != null;) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the pipe closed
                }
            });
            call("{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}}", "init");
            write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        /** Sends a line, then a ping, checking every line read until the ping is answered. */
        void exchange(String line) throws Exception {
            write(line);
            String id = "probe-" + (++probes);
            readUntil(id, line);
        }

        /** Sends a request and returns its response, checking every line read on the way. */
        JsonNode call(String request, String id) throws Exception {
            write(request);
            return readUntil(id, request);
        }

        private JsonNode readUntil(String id, String request) throws Exception {
            if (id.startsWith("probe-")) {
                write("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"ping\"}");
            }
            while (true) {
                String line = lines.poll(30, TimeUnit.SECONDS);
                String what = "stdio answer " + (line == null ? null : abbreviate(line)) + "\n  to " + abbreviate(request);
                assertThat(line).as("the stdio transport answers within 30 s (alive: " + server.isAlive() + ") to "
                        + abbreviate(request)).isNotNull();
                noInternals(request, line, what);
                JsonNode message = wellFormed(line, what);
                if (!message.path("id").asText("").startsWith("probe-")) {
                    count("stdio " + kind(message));
                }
                if (id.equals(message.path("id").asText(null))) {
                    return message;
                }
            }
        }

        private void write(String line) throws IOException {
            toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            toServer.flush();
        }

        @Override
        public void close() throws IOException {
            toServer.close();
            try {
                server.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(server.isAlive()).as("the stdio transport ends at the end of its input").isFalse();
        }
    }
}
