package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy bundle in a real host, in front of a real upstream: {@code @modelcontextprotocol/server-everything}
 * from npm over stdio. Edits of {@code config/mcp-servers.json} apply live; a killed upstream gives
 * fast clear errors for its tools only, its breaker opens, and it comes back.
 */
class ProxyTest {

    private static final Duration NOTICE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path node;
    private static Path everything;

    @TempDir
    Path root;

    @BeforeAll
    static void findTheUpstream() {
        Path modules = Path.of(System.getProperty("plugboard.test.npm", "../e2e/node_modules")).toAbsolutePath();
        node = modules.resolve("node/bin/node");
        everything = modules.resolve("@modelcontextprotocol/server-everything/dist/index.js");
        if (!Files.isExecutable(node) || !Files.isRegularFile(everything)) {
            throw new IllegalStateException("The proxy tests need the npm packages of tests/e2e (node 22 and "
                    + "@modelcontextprotocol/server-everything) in " + modules + "; run 'npm ci' in tests/e2e");
        }
    }

    private static String stdioEntry(String name, String extra) {
        return "\"" + name + "\": {\"command\": \"" + node + "\", \"args\": [\"" + everything + "\", \"stdio\"]"
                + extra + "}";
    }

    private void writeServers(String... entries) throws IOException {
        Path config = Files.createDirectories(root.resolve("config"));
        Path temp = config.resolve("mcp-servers.json.tmp");
        Files.writeString(temp, "{\"mcpServers\": {" + String.join(", ", entries) + "}}");
        Files.move(temp, config.resolve("mcp-servers.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonNode ready(TestHost host) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(host.fullReadiness(), HttpResponse.BodyHandlers.ofString());
        return McpClient.JSON.readTree(r.body());
    }

    private static JsonNode upstream(TestHost host, String name) {
        try {
            return ready(host).at("/plugins/proxy/upstreams/" + name);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String text(JsonNode result) {
        return result.at("/content/0/text").asText();
    }

    private static Optional<ProcessHandle> upstreamProcess() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("server-everything")).findFirst();
    }

    @Test
    void editsOfTheServersFileAddAndRemoveAnUpstreamsToolsWithoutARestart() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy",
                "plugboard-search")) {
            Eventually.await("the search tools", NOTICE, () -> host.hasTool("search_catalog"));
            McpClient client = new McpClient(host.mcp).initialize();
            assertThat(client.toolNames()).noneMatch(n -> n.startsWith("everything__"));
            try (McpClient.Stream stream = client.openStream()) {
                writeServers(stdioEntry("everything", ""));
                stream.await("notifications/tools/list_changed", NOTICE);
                // the first list_changed may be for an earlier change: wait for the client's own listing
                Eventually.await("the upstream's tools in tools/list", NOTICE, () -> {
                    try {
                        return client.toolNames().contains("everything__echo");
                    } catch (IOException | InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                assertThat(client.toolNames()).contains("everything__echo", "everything__get-sum", "calculate");

                JsonNode echoed = client.callTool("everything__echo", "{\"message\":\"through the proxy\"}");
                assertThat(echoed.path("isError").asBoolean()).as("%s", echoed).isFalse();
                assertThat(text(echoed)).isEqualTo("Echo: through the proxy");
                JsonNode sum = client.callTool("everything__get-sum", "{\"a\":2,\"b\":40}");
                assertThat(text(sum)).contains("42");

                JsonNode invalid = client.call("tools/call", "{\"name\":\"everything__echo\",\"arguments\":{}}");
                assertThat(invalid.at("/error/code").asInt()).as("checked against the upstream's schema")
                        .isEqualTo(-32602);
                assertThat(invalid.at("/error/message").asText()).contains("message");

                JsonNode hits = client.callTool("search_catalog", "{\"query\":\"echoes back the input\",\"mode\":\"BM25\"}");
                List<String> keys = hits.at("/structuredContent/results").findValuesAsText("key");
                assertThat(keys).contains("everything__echo");

                JsonNode health = upstream(host, "everything");
                assertThat(health.path("state").asText()).isEqualTo("connected");
                assertThat(health.path("transport").asText()).isEqualTo("stdio");
                assertThat(health.path("breaker").asText()).isEqualTo("CLOSED");
                assertThat(health.path("tools").asInt()).isGreaterThan(5);

                // a broken entry is reported; the good one keeps working
                writeServers(stdioEntry("everything", ""), "\"bad__name\": {\"command\": \"x\"}",
                        "\"broken\": {\"args\": [\"no command\"]}");
                Eventually.await("the broken entries in health", NOTICE,
                        () -> upstream(host, "broken").path("state").asText().equals("invalid"));
                assertThat(upstream(host, "broken").path("lastError").asText()).contains("\"command\"");
                assertThat(upstream(host, "bad__name").path("lastError").asText()).contains("separator");
                assertThat(text(client.callTool("everything__echo", "{\"message\":\"still\"}"))).isEqualTo("Echo: still");

                // include/exclude globs narrow what is offered, under another prefix
                writeServers(stdioEntry("everything", ", \"prefix\": \"ev\", \"include\": [\"echo\", \"get-*\"],"
                        + " \"exclude\": [\"get-env\"]"));
                Eventually.await("the renamed tools", NOTICE, () -> host.hasTool("ev__echo"));
                Eventually.await("the old names to go", NOTICE, () -> !host.hasTool("everything__echo"));
                List<String> names = client.toolNames();
                assertThat(names).contains("ev__echo", "ev__get-sum").doesNotContain("ev__get-env")
                        .noneMatch(n -> n.startsWith("ev__") && !n.equals("ev__echo") && !n.startsWith("ev__get-"));

                writeServers();
                Eventually.await("the upstream's tools to go", NOTICE, () -> !host.hasTool("ev__echo"));
                assertThat(client.toolNames()).noneMatch(n -> n.startsWith("ev__")).contains("calculate");
                JsonNode gone = client.call("tools/call", "{\"name\":\"ev__echo\",\"arguments\":{\"message\":\"x\"}}");
                assertThat(gone.toString()).contains("ev__echo").contains("no longer available");
                Eventually.await("the upstream process to end", NOTICE, () -> upstreamProcess().isEmpty());
            }
        }
    }

    @Test
    void aKilledUpstreamFailsFastForItsToolsOnlyItsBreakerOpensAndItComesBack() throws Exception {
        writeServers(stdioEntry("everything", ", \"breaker\": {\"minimumCalls\": 2, \"windowSize\": 4,"
                + " \"openSeconds\": 1, \"halfOpenCalls\": 1}, \"retry\": {\"maxAttempts\": 1}"));
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy")) {
            Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("everything__echo"));
            McpClient client = new McpClient(host.mcp).initialize();
            assertThat(text(client.callTool("everything__echo", "{\"message\":\"one\"}"))).isEqualTo("Echo: one");
            ProcessHandle first = upstreamProcess().orElseThrow(() -> new AssertionError("no upstream process"));

            first.destroyForcibly();
            Eventually.await("the upstream to be seen gone", NOTICE,
                    () -> !upstream(host, "everything").path("state").asText().equals("connected"));

            String failure = null;
            for (int i = 0; i < 10 && (failure == null || !failure.contains("circuit breaker is open")); i++) {
                JsonNode result = client.callTool("everything__echo", "{\"message\":\"down\"}");
                if (!result.path("isError").asBoolean()) {
                    break; // already back: the restart won the race
                }
                failure = text(result);
                assertThat(failure).contains("Upstream 'everything'");
                assertThat(client.callTool("calculate", "{\"expression\":\"6*7\"}").at("/structuredContent/result")
                        .asInt()).as("other tools keep working").isEqualTo(42);
            }
            assertThat(failure).as("the errors name the upstream and say why").isNotNull();

            Eventually.await("the upstream to be restarted", NOTICE,
                    () -> upstream(host, "everything").path("state").asText().equals("connected"));
            ProcessHandle second = upstreamProcess().orElseThrow(() -> new AssertionError("no new upstream process"));
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(upstream(host, "everything").path("restarts").asInt()).isGreaterThanOrEqualTo(1);

            Eventually.await("calls to succeed again", NOTICE, () -> {
                try {
                    return text(client.callTool("everything__echo", "{\"message\":\"back\"}")).equals("Echo: back");
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            Eventually.await("the breaker to close", NOTICE,
                    () -> upstream(host, "everything").path("breaker").asText().equals("CLOSED"));
        }
    }

    @Test
    void slowCallsOpenTheBreakerWhichAnswersAtOnceNamingTheUpstreamAndClosesAfterAProbe() throws Exception {
        writeServers(stdioEntry("everything", ", \"callTimeoutSeconds\": 0.5, \"retry\": {\"maxAttempts\": 1},"
                + " \"breaker\": {\"minimumCalls\": 2, \"windowSize\": 2, \"openSeconds\": 1, \"halfOpenCalls\": 1}"),
                "\"ghost\": {\"command\": \"" + root.resolve("no-such-program") + "\"}",
                "\"quitter\": {\"command\": \"" + node + "\", \"args\": [\"-e\","
                        + " \"console.error('Error: no API key'); process.exit(3)\"]}");
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy")) {
            Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("everything__echo"));
            Eventually.await("the upstream's resources", NOTICE, () -> !host.host.catalog().resources().all().isEmpty());
            McpClient client = new McpClient(host.mcp).initialize();
            String read = "{\"uri\":\"demo://resource/dynamic/text/3\"}"; // not read now: it would count in
            // the breaker's window of two calls (ProxyFederationTest reads it)
            for (int i = 0; i < 2; i++) {
                JsonNode slow = client.callTool("everything__trigger-long-running-operation",
                        "{\"duration\": 30, \"steps\": 2}");
                assertThat(slow.path("isError").asBoolean()).isTrue();
                assertThat(text(slow)).isEqualTo("Upstream 'everything' did not answer within 500 ms");
            }
            assertThat(upstream(host, "everything").path("breaker").asText()).isEqualTo("OPEN");
            JsonNode refused = client.callTool("everything__echo", "{\"message\":\"x\"}");
            assertThat(refused.path("isError").asBoolean()).isTrue();
            assertThat(text(refused)).startsWith("Upstream 'everything' is unavailable: its circuit breaker is open");
            assertThat(client.call("resources/read", read).toString()).as("a federated resource passes the same breaker")
                    .contains("Upstream 'everything' is unavailable: its circuit breaker is open");
            assertThat(client.callTool("calculate", "{\"expression\":\"1+1\"}").at("/structuredContent/result").asInt())
                    .isEqualTo(2);

            Eventually.await("a probe to get through and close the breaker", NOTICE, () -> {
                try {
                    return text(client.callTool("everything__echo", "{\"message\":\"probe\"}")).equals("Echo: probe");
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(upstream(host, "everything").path("breaker").asText()).isEqualTo("CLOSED");

            // an upstream that cannot start is reported, offers nothing, and harms no one
            JsonNode ghost = upstream(host, "ghost");
            assertThat(ghost.path("state").asText()).isEqualTo("reconnecting");
            assertThat(ghost.path("lastError").asText()).contains("cannot connect");
            assertThat(client.toolNames()).noneMatch(n -> n.startsWith("ghost__"));
            assertThat(ghost.path("lastError").asText()).contains("no such program");
            Eventually.await("the quitter's reason in health", NOTICE,
                    () -> upstream(host, "quitter").path("lastError").asText().contains("exited with code 3"));
            assertThat(upstream(host, "quitter").path("lastError").asText())
                    .endsWith("its process exited with code 3 (its last error output: Error: no API key)");
        }
    }

    /** server-everything over Streamable HTTP on a free loopback port, started for a test. */
    private static Process httpUpstream(int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(node.toString(), everything.toString(), "streamableHttp")
                .redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(port));
        Process p = builder.start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null;) {
            if (line.contains("listening on port")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return p;
            }
        }
        throw new AssertionError("the HTTP upstream did not start: exit " + p.exitValue());
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void anHttpUpstreamIsProxiedAndItsLostSessionIsRenewedWithoutTheClientNoticing() throws Exception {
        int port = freePort();
        Process upstream = httpUpstream(port);
        try {
            writeServers("\"remote\": {\"url\": \"http://127.0.0.1:" + port + "/mcp\", \"retry\": {\"maxAttempts\": 1}}");
            try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy")) {
                Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("remote__echo"));
                McpClient client = new McpClient(host.mcp).initialize();
                assertThat(text(client.callTool("remote__echo", "{\"message\":\"over http\"}")))
                        .isEqualTo("Echo: over http");
                assertThat(upstream(host, "remote").path("transport").asText()).isEqualTo("streamable-http");

                // progress of the upstream's long call reaches the client on the call's stream
                try (McpClient.Stream call = client.postStreaming(client.request("tools/call",
                        "{\"name\":\"remote__trigger-long-running-operation\",\"arguments\":{\"duration\":0.4,\"steps\":2},"
                                + "\"_meta\":{\"progressToken\":\"p1\"}}"))) {
                    JsonNode progress = call.await("notifications/progress", NOTICE);
                    assertThat(progress.at("/params/progressToken").asText()).isEqualTo("p1");
                    assertThat(progress.at("/params/total").asInt()).isEqualTo(2);
                    // read to its answer: a call still running when the upstream dies below would fail
                    // too, and its error could be the last one the health detail shows
                    assertThat(call.remaining()).anyMatch(m -> m.has("result"));
                }

                // the upstream restarts and forgets every session: the next call opens a new one
                upstream.destroyForcibly().waitFor();
                JsonNode down = client.callTool("remote__echo", "{\"message\":\"down\"}");
                assertThat(down.path("isError").asBoolean()).isTrue();
                assertThat(text(down)).as("a plain sentence, without the library's words or the upstream's address")
                        .isEqualTo("Upstream 'remote' failed: the connection to it failed while calling tool 'echo'");
                assertThat(upstream(host, "remote").path("lastError").asText())
                        .isEqualTo("127.0.0.1:" + port + " could not be reached: the connection was refused");
                // the open probe shows the upstream's state and counts, not its error (nor its address)
                HttpResponse<String> open = HTTP.send(HttpRequest.newBuilder(host.mcp.resolve("/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode remote = McpClient.JSON.readTree(open.body()).at("/plugins/proxy/upstreams/remote");
                assertThat(remote.path("state").isTextual()).as(open.body()).isTrue();
                assertThat(remote.path("tools").isInt()).as(open.body()).isTrue();
                assertThat(remote.has("lastError")).as(open.body()).isFalse();
                assertThat(open.body()).doesNotContain("could not be reached").doesNotContain("127.0.0.1");
                upstream = httpUpstream(port);
                JsonNode renewed = client.callTool("remote__echo", "{\"message\":\"renewed\"}");
                assertThat(text(renewed)).as("%s", renewed).isEqualTo("Echo: renewed");
            }
        } finally {
            upstream.destroyForcibly();
        }
    }

    private static long upstreamProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("server-everything")).count();
    }

    @Test
    void underSixteenClientsAKilledUpstreamFailsOnlyItsOwnCallsAndNoneHangs() throws Exception {
        writeServers(stdioEntry("everything", ", \"breaker\": {\"openSeconds\": 1}"));
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy")) {
            Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("everything__echo"));
            int clients = 16;
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger echoes = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger upstreamErrors = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ConcurrentLinkedQueue<String> wrong = new java.util.concurrent.ConcurrentLinkedQueue<>();
            java.util.concurrent.CountDownLatch recovered = new java.util.concurrent.CountDownLatch(clients);
            List<Thread> threads = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                McpClient client = new McpClient(host.mcp).initialize();
                threads.add(Thread.ofVirtual().start(() -> {
                    boolean backAfterKill = false;
                    try {
                        while (!stop.get()) {
                            boolean afterKill = killed.get();
                            JsonNode echo = client.callTool("everything__echo", "{\"message\":\"load\"}");
                            if (echo.path("isError").asBoolean()) {
                                upstreamErrors.incrementAndGet();
                                if (!text(echo).startsWith("Upstream 'everything'")) {
                                    wrong.add("an unclear upstream error: " + echo);
                                }
                            } else if (text(echo).equals("Echo: load")) {
                                echoes.incrementAndGet();
                                if (afterKill && !backAfterKill) {
                                    backAfterKill = true;
                                    recovered.countDown();
                                }
                            } else {
                                wrong.add("a wrong echo: " + echo);
                            }
                            JsonNode sum = client.callTool("calculate", "{\"expression\":\"20+22\"}");
                            if (sum.at("/structuredContent/result").asInt() != 42) {
                                wrong.add("a local tool failed: " + sum);
                            }
                        }
                    } catch (IOException | InterruptedException | AssertionError e) {
                        wrong.add("a call failed: " + e);
                    }
                }));
            }
            Eventually.await("calls under load", NOTICE, () -> echoes.get() >= 100);
            assertThat(upstreamProcesses()).as("one process shared by every client session").isEqualTo(1);

            upstreamProcess().orElseThrow().destroyForcibly();
            Eventually.await("the upstream to be seen gone", NOTICE,
                    () -> !upstream(host, "everything").path("state").asText().equals("connected"));
            killed.set(true);
            Eventually.await("every client to be answered by the upstream again", Duration.ofSeconds(120),
                    () -> recovered.getCount() == 0 || !wrong.isEmpty());
            stop.set(true);
            for (Thread t : threads) {
                assertThat(t.join(Duration.ofSeconds(60))).as("no call hangs").isTrue();
            }
            assertThat(wrong).isEmpty();
            assertThat(upstreamErrors.get()).as("the outage was seen").isPositive();
            assertThat(upstreamProcesses()).as("one process after the restart").isEqualTo(1);
        }
    }

    @Test
    void removingTheProxyBundleEndsItsUpstreamsAndDeployingItAgainBringsThemBack() throws Exception {
        writeServers(stdioEntry("everything", ""));
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy")) {
            Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("everything__echo"));
            host.undeploy("plugboard-proxy.jar");
            Eventually.await("the tools to go", NOTICE, () -> !host.hasTool("everything__echo"));
            Eventually.await("the process to end", NOTICE, () -> upstreamProcesses() == 0);
            assertThat(ready(host).at("/plugins/proxy").isMissingNode()).isTrue();

            host.deploy("plugboard-proxy", "plugboard-proxy.jar");
            Eventually.await("the tools to come back", NOTICE, () -> host.hasTool("everything__echo"));
            McpClient client = new McpClient(host.mcp).initialize();
            assertThat(text(client.callTool("everything__echo", "{\"message\":\"again\"}"))).isEqualTo("Echo: again");
            assertThat(upstreamProcesses()).isEqualTo(1);
        }
    }

    /** A process's resident memory in bytes, from {@code /proc}. */
    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS for process " + pid);
    }

    private static long heapAfterCollection() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void aThousandClientSessionsOpenedAndClosedLeaveOneUpstreamProcessAndNoGrowthAndADeadUpstreamFailsNoSession()
            throws Exception {
        writeServers(stdioEntry("everything", ""), "\"ghost\": {\"command\": \"/nonexistent/mcp-server\"}");
        try (TestHost host = TestHost.start(root, Map.of("sessions.idleTimeoutSeconds", "1"),
                "plugboard-essentials", "plugboard-proxy")) {
            Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("everything__echo"));
            Eventually.await("the dead upstream to be reported", NOTICE,
                    () -> upstream(host, "ghost").path("lastError").asText().contains("no such program"));
            ProcessHandle child = upstreamProcess().orElseThrow(() -> new AssertionError("no upstream process"));
            // warm up the paths a session takes, so that the baseline is not the cold start
            for (int i = 0; i < 20; i++) {
                McpClient c = new McpClient(host.mcp).initialize();
                c.callTool("everything__echo", "{\"message\":\"warm\"}");
                c.send("DELETE", null, c.defaultHeaders());
            }
            long childStart = rss(child.pid());
            long heapStart = heapAfterCollection();

            for (int i = 0; i < 1000; i++) {
                McpClient c = new McpClient(host.mcp).initialize();
                if (i % 10 == 0) {
                    assertThat(text(c.callTool("everything__echo", "{\"message\":\"s" + i + "\"}")))
                            .as("a session with a dead upstream beside a live one works").isEqualTo("Echo: s" + i);
                } else {
                    assertThat(c.call("tools/list", "{}").has("result")).isTrue();
                }
                if (i % 2 == 0) {
                    assertThat(c.send("DELETE", null, c.defaultHeaders()).status()).isIn(200, 202, 204);
                } // the other half is abandoned, to expire
            }

            assertThat(upstreamProcesses()).as("one child process shared by all sessions").isEqualTo(1);
            assertThat(upstreamProcess().orElseThrow().pid()).as("never restarted").isEqualTo(child.pid());
            assertThat(rss(child.pid())).as("the upstream's memory, against %d bytes at the start", childStart)
                    .isLessThan(childStart * 2 + 64L * 1024 * 1024);
            Eventually.await("the abandoned sessions to expire and the host's heap to come back near its start",
                    NOTICE, () -> heapAfterCollection() < heapStart + 64L * 1024 * 1024);
        }
    }

    @Test
    void aToolWithItsOwnBreakerIsCutOffAloneWhileTheUpstreamsOtherToolsAreStillCalled() throws Exception {
        writeServers(stdioEntry("everything", ", \"callTimeoutSeconds\": 0.5, \"retry\": {\"maxAttempts\": 1},"
                + " \"breaker\": {\"minimumCalls\": 10, \"windowSize\": 20},"
                + " \"tools\": {\"trigger-long-running-operation\": {\"breaker\": {\"minimumCalls\": 2, \"windowSize\": 2,"
                + " \"openSeconds\": 600}}}"));
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials", "plugboard-proxy")) {
            Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("everything__echo"));
            McpClient client = new McpClient(host.mcp).initialize();
            String slow = "{\"duration\":5,\"steps\":1}";
            for (int i = 0; i < 2; i++) {
                assertThat(text(client.callTool("everything__trigger-long-running-operation", slow)))
                        .isEqualTo("Upstream 'everything' did not answer within 500 ms");
            }
            JsonNode refused = client.callTool("everything__trigger-long-running-operation", slow);
            assertThat(text(refused)).startsWith("Upstream 'everything' tool 'trigger-long-running-operation' is"
                    + " unavailable: its own circuit breaker is open");
            assertThat(text(client.callTool("everything__echo", "{\"message\":\"still\"}")))
                    .as("the upstream's other tools are still called").isEqualTo("Echo: still");
            JsonNode health = upstream(host, "everything");
            assertThat(health.path("breaker").asText()).isEqualTo("CLOSED");
            assertThat(health.at("/toolBreakers/trigger-long-running-operation").asText()).isEqualTo("OPEN");
        }
    }
}
