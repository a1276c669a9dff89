package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.plugboard.host.events.EventType;
import dev.plugboard.host.events.HostEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin REST API on a real host: modules (install by upload and from a URL, update, start, stop,
 * remove), plugin configuration, the admin key, every bad input, and an update under load.
 */
class AdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HELLO = "dev.plugboard.fixtures.hello";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path root;

    private static TestHost host;
    private static HttpServer jars;
    private static URI api;
    private static String key;
    private static final ConcurrentLinkedQueue<String> LOG_LINES = new ConcurrentLinkedQueue<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOG_LINES.add(String.valueOf(record.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        jars = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jars.createContext("/allowed/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/allowed/".length());
            Path jar = TestHost.bundle(name.replace(".jar", ""));
            if (Files.isRegularFile(jar)) {
                byte[] bytes = Files.readAllBytes(jar);
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        jars.start();
        Logger.getLogger("").addHandler(CAPTURE);
        Upstreams.write(root, "virtual-servers.json", "{\"greeters\": {\"tools\": [\"hello\"]}}");
        host = TestHost.start(root, Map.of("admin.installUrls",
                "http://127.0.0.1:" + jars.getAddress().getPort() + "/allowed/", "tools.drainSeconds", "5"),
                "plugboard-essentials");
        Logger.getLogger("").removeHandler(CAPTURE);
        api = URI.create("http://127.0.0.1:" + host.host.port() + "/api/v1/");
        key = Files.readString(root.resolve("data").resolve("admin.key")).trim();
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        if (jars != null) {
            jars.stop(0);
        }
    }

    @AfterEach
    void removeHello() throws Exception {
        if (send("GET", "modules/" + HELLO, null, null).statusCode() == 200) {
            assertThat(send("DELETE", "modules/" + HELLO, null, null).statusCode()).isEqualTo(204);
        }
        Files.deleteIfExists(host.bundles.resolve(HELLO + ".jar"));
    }

    // --- helpers ---

    private static HttpResponse<String> send(String method, String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return send(method, path, contentType, body, "Bearer " + key);
    }

    private static HttpResponse<String> send(String method, String path, String contentType, byte[] body,
            String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] jar(String fixture) throws IOException {
        return Files.readAllBytes(TestHost.bundle(fixture));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> upload(byte[] jar) throws IOException, InterruptedException {
        return send("POST", "modules", "application/java-archive", jar);
    }

    /** Asserts a problem document of this status and kind, free of Java class names. */
    private static JsonNode problem(HttpResponse<String> r, int status, String kind) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.path("type").asText()).isEqualTo("https://plugboard.dev/problems/" + kind);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("detail").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("java.")
                .doesNotContain("\tat ");
        return p;
    }

    private static List<String> deployFolder() throws IOException {
        try (Stream<Path> files = Files.list(host.bundles)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String modulesSnapshot() throws Exception {
        return json(send("GET", "modules", null, null)).toString();
    }

    private static List<HostEvent> eventsSince(long id, String module) {
        return host.host.changes().since(id).stream().filter(e -> module.equals(e.module())).toList();
    }

    // --- tests ---

    @Test
    void theKeyFileIsOwnerOnlyAndTheLogNamesItsPathButNeverTheKey() throws IOException {
        Path file = root.resolve("data").resolve("admin.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(key).hasSizeGreaterThanOrEqualTo(40);
        assertThat(LOG_LINES).anyMatch(line -> line.contains(file.toAbsolutePath().toString()));
        assertThat(LOG_LINES).noneMatch(line -> line.contains(key));
    }

    @Test
    void withoutTheKeyOrWithAWrongOneEveryAdminCallIs401AndChangesNothing() throws Exception {
        String before = modulesSnapshot();
        List<String> folder = deployFolder();
        String[][] calls = {{"GET", "modules"}, {"POST", "modules"}, {"GET", "modules/x"}, {"PUT", "modules/x"},
            {"POST", "modules/x/start"}, {"POST", "modules/x/stop"}, {"DELETE", "modules/plugboard-essentials"},
            {"GET", "config"}, {"GET", "config/x"}, {"PUT", "config/x"}};
        String detail = null;
        for (String[] call : calls) {
            for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + key + "x", "Basic " + key}) {
                boolean body = call[0].equals("POST") || call[0].equals("PUT");
                HttpResponse<String> r = send(call[0], call[1], body ? "application/java-archive" : null,
                        body ? jar("fixture-hello-v1") : null, authorization);
                assertThat(r.statusCode()).as("%s %s with %s: %s", call[0], call[1], authorization, r.body())
                        .isEqualTo(401);
                JsonNode p = problem(r, 401, "unauthorized");
                assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
                detail = detail == null ? p.path("detail").asText() : detail;
                assertThat(p.path("detail").asText()).as("the same answer for a missing and a wrong key")
                        .isEqualTo(detail);
            }
        }
        assertThat(modulesSnapshot()).isEqualTo(before);
        assertThat(deployFolder()).isEqualTo(folder);
        assertThat(host.hasTool("hello")).isFalse();
    }

    @Test
    void aModuleIsInstalledShownStoppedStartedUpdatedAndRemoved() throws Exception {
        long since = host.host.changes().lastId();
        HttpResponse<String> installed = upload(jar("fixture-hello-v1"));
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        assertThat(installed.headers().firstValue("Location").orElse("")).endsWith("/api/v1/modules/" + HELLO);
        JsonNode m = json(installed);
        assertThat(m.path("name").asText()).isEqualTo(HELLO);
        assertThat(m.path("version").asText()).isEqualTo("1.0.0");
        assertThat(m.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(m.path("file").asText()).isEqualTo(HELLO + ".jar");
        assertThat(m.at("/provides/tools").toString()).contains("\"hello\"", "\"slow\"");
        assertThat(Files.readAllBytes(host.bundles.resolve(HELLO + ".jar"))).isEqualTo(jar("fixture-hello-v1"));
        assertThat(host.hasTool("hello")).isTrue();

        JsonNode list = json(send("GET", "modules", null, null));
        assertThat(list.path("modules").findValuesAsText("name")).contains(HELLO, "dev.plugboard.essentials");
        assertThat(json(send("GET", "modules/" + HELLO, null, null)).path("state").asText()).isEqualTo("ACTIVE");

        JsonNode stopped = json(send("POST", "modules/" + HELLO + "/stop", null, null));
        assertThat(stopped.path("state").asText()).isEqualTo("RESOLVED");
        assertThat(stopped.at("/provides/tools").size()).isZero();
        assertThat(host.hasTool("hello")).isFalse();
        JsonNode started = json(send("POST", "modules/" + HELLO + "/start", null, null));
        assertThat(started.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(host.hasTool("hello")).isTrue();

        HttpResponse<String> updated = send("PUT", "modules/" + HELLO, "application/octet-stream", jar("fixture-hello-v2"));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json(updated).path("version").asText()).isEqualTo("2.0.0");
        assertThat(json(updated).at("/provides/tools").toString()).contains("\"goodbye\"").doesNotContain("\"slow\"");
        assertThat(Files.readAllBytes(host.bundles.resolve(HELLO + ".jar"))).isEqualTo(jar("fixture-hello-v2"));
        assertThat(host.hasTool("goodbye")).isTrue();

        HttpResponse<String> removed = send("DELETE", "modules/" + HELLO, null, null);
        assertThat(removed.statusCode()).isEqualTo(204);
        assertThat(host.hasTool("hello")).isFalse();
        assertThat(Files.exists(host.bundles.resolve(HELLO + ".jar"))).isFalse();
        problem(send("GET", "modules/" + HELLO, null, null), 404, "not-found");

        List<EventType> types = eventsSince(since, HELLO).stream().map(HostEvent::type).toList();
        assertThat(types).containsSubsequence(EventType.MODULE_INSTALLED, EventType.MODULE_STARTED,
                EventType.MODULE_STOPPED, EventType.MODULE_STARTED, EventType.MODULE_UPDATED, EventType.MODULE_REMOVED);
        assertThat(types).doesNotContain(EventType.MODULE_FAILED);
    }

    @Test
    void multipartUploadsInstallAndUpdateToo() throws Exception {
        String boundary = "plugboard-test-boundary";
        HttpResponse<String> installed = send("POST", "modules", "multipart/form-data; boundary=" + boundary,
                multipart(boundary, jar("fixture-hello-v1")));
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        assertThat(json(installed).path("version").asText()).isEqualTo("1.0.0");
        HttpResponse<String> updated = send("PUT", "modules/" + HELLO, "multipart/form-data; boundary=" + boundary,
                multipart(boundary, jar("fixture-hello-v2")));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json(updated).path("version").asText()).isEqualTo("2.0.0");
        problem(send("POST", "modules", "multipart/form-data; boundary=" + boundary,
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--" + boundary
                        + "--\r\n").getBytes(StandardCharsets.ISO_8859_1)), 400, "bad-request");
    }

    private static byte[] multipart(String boundary, byte[] file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(file);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    @Test
    void badJarsAreRefusedWithTheirKindAndNothingChanges() throws Exception {
        String before = modulesSnapshot();
        List<String> folder = deployFolder();
        long since = host.host.changes().lastId();

        problem(upload("this is not a jar at all".getBytes(StandardCharsets.UTF_8)), 422, "not-a-jar");
        problem(upload(plainJar()), 422, "not-a-bundle");
        JsonNode unresolvable = problem(upload(jar("fixture-unresolvable")), 422, "unresolvable");
        assertThat(unresolvable.path("detail").asText()).contains("does not resolve");
        JsonNode exiting = problem(upload(jar("fixture-exiting")), 422, "exit-call");
        assertThat(exiting.path("detail").asText()).containsIgnoringCase("exit");
        problem(upload(new byte[0]), 400, "bad-request");
        problem(send("POST", "modules", "text/plain", "x".getBytes(StandardCharsets.UTF_8)), 415,
                "unsupported-media-type");
        problem(send("POST", "modules", "application/json", "{\"nourl\": 1}".getBytes(StandardCharsets.UTF_8)), 400,
                "bad-request");
        problem(send("POST", "modules", "application/json", "{not json".getBytes(StandardCharsets.UTF_8)), 400,
                "bad-request");
        // updates are checked the same way, and an update must be the same bundle
        problem(send("PUT", "modules/dev.plugboard.essentials", "application/java-archive",
                "garbage".getBytes(StandardCharsets.UTF_8)), 422, "not-a-jar");
        problem(send("PUT", "modules/dev.plugboard.essentials", "application/java-archive",
                jar("fixture-hello-v1")), 409, "conflict");

        assertThat(modulesSnapshot()).isEqualTo(before);
        assertThat(deployFolder()).isEqualTo(folder);
        assertThat(host.host.changes().since(since)).isEmpty();
    }

    /** A jar whose manifest has no Bundle-SymbolicName. */
    private static byte[] plainJar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream out = new JarOutputStream(bytes, m)) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write("not a bundle".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void aDeclared200MegabyteBodyIs413BeforeAnyOfItIsRead() throws Exception {
        List<String> folder = deployFolder();
        try (RawHttp raw = new RawHttp(api)) {
            raw.send("POST /api/v1/modules HTTP/1.1\r\nHost: 127.0.0.1:" + api.getPort() + "\r\nAuthorization: Bearer "
                    + key + "\r\nContent-Type: application/java-archive\r\nContent-Length: " + (200L * 1024 * 1024)
                    + "\r\n\r\n");
            // not one byte of the body is sent: the answer comes without it
            RawHttp.Answer answer = raw.read();
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(deployFolder()).isEqualTo(folder);
    }

    @Test
    void aStreamedBodyPastTheLimitIs413AndLeavesNothingBehind() throws Exception {
        List<String> folder = deployFolder();
        long total = 200L * 1024 * 1024;
        AtomicInteger sentMegabytes = new AtomicInteger();
        HttpRequest request = HttpRequest.newBuilder(api.resolve("modules")).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
                    private long left = total;

                    @Override
                    public int read() {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0];
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left == 0) {
                            return -1;
                        }
                        int n = (int) Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                        left -= n;
                        sentMegabytes.set((int) ((total - left) >> 20));
                        return n;
                    }
                })).build();
        // no Content-Length (chunked): the server stops at the limit
        HttpResponse<String> r;
        try {
            r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the server should answer 413, not drop the connection: " + e, e);
        }
        problem(r, 413, "too-large");
        assertThat(deployFolder()).isEqualTo(folder);
    }

    @Test
    void modulesAreInstalledOnlyFromAllowedUrls() throws Exception {
        String base = "http://127.0.0.1:" + jars.getAddress().getPort();
        problem(send("POST", "modules", "application/json",
                ("{\"url\": \"" + base + "/elsewhere/fixture-hello-v1.jar\"}").getBytes(StandardCharsets.UTF_8)), 403,
                "url-not-allowed");
        problem(send("POST", "modules", "application/json",
                ("{\"url\": \"" + base + "/allowed/../elsewhere/fixture-hello-v1.jar\"}").getBytes(StandardCharsets.UTF_8)),
                403, "url-not-allowed");
        problem(send("POST", "modules", "application/json",
                "{\"url\": \"file:///etc/passwd\"}".getBytes(StandardCharsets.UTF_8)), 403, "url-not-allowed");
        problem(send("POST", "modules", "application/json",
                ("{\"url\": \"" + base + "/allowed/missing.jar\"}").getBytes(StandardCharsets.UTF_8)), 502, "url-failed");
        assertThat(host.hasTool("hello")).isFalse();
        HttpResponse<String> installed = send("POST", "modules", "application/json",
                ("{\"url\": \"" + base + "/allowed/fixture-hello-v1.jar\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        assertThat(json(installed).path("state").asText()).isEqualTo("ACTIVE");
        assertThat(host.hasTool("hello")).isTrue();
        problem(upload(jar("fixture-hello-v2")), 409, "conflict");
    }

    @Test
    void theEventStreamReplaysModuleEventsAfterTheLastEventId() throws Exception {
        long before = host.host.changes().lastId();
        assertThat(upload(jar("fixture-hello-v1")).statusCode()).isEqualTo(201);
        HttpRequest request = HttpRequest.newBuilder(api.resolve("events")).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/event-stream").header("Last-Event-ID", Long.toString(before)).GET().build();
        HttpResponse<Stream<String>> r = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> seen = new ArrayList<>();
        try (Stream<String> lines = r.body()) {
            var it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                seen.add(line);
                if (String.join("\n", seen).contains("module.started")
                        && String.join("\n", seen).contains("catalog.changed")) {
                    break;
                }
            }
        }
        String stream = String.join("\n", seen);
        assertThat(stream).contains("event: module.installed", "event: catalog.changed", "event: module.started",
                "\"module\":\"" + HELLO + "\"", "id: " + (before + 1));
    }

    @Test
    void anUnknownModuleIs404ForEveryOperation() throws Exception {
        for (String[] call : new String[][] {{"GET", "modules/no.such"}, {"POST", "modules/no.such/start"},
            {"POST", "modules/no.such/stop"}, {"DELETE", "modules/no.such"}}) {
            problem(send(call[0], call[1], null, null), 404, "not-found");
        }
        problem(send("PUT", "modules/no.such", "application/java-archive", jar("fixture-hello-v1")), 404, "not-found");
    }

    @Test
    void pluginConfigurationIsReadAndWrittenAsItsCfgFile() throws Exception {
        String pid = "dev.plugboard.test.admin";
        problem(send("GET", "config/" + pid, null, null), 404, "not-found");
        HttpResponse<String> put = send("PUT", "config/" + pid, "application/json",
                "{\"maxResults\": 20, \"mode\": \"hybrid\", \"enabled\": true}".getBytes(StandardCharsets.UTF_8));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(put).path("properties").toString())
                .isEqualTo("{\"enabled\":\"true\",\"maxResults\":\"20\",\"mode\":\"hybrid\"}");
        java.util.Properties file = new java.util.Properties();
        try (var in = Files.newInputStream(root.resolve("config").resolve(pid + ".cfg"))) {
            file.load(in);
        }
        assertThat(file).containsEntry("maxResults", "20").containsEntry("mode", "hybrid").hasSize(3);
        assertThat(json(send("GET", "config", null, null)).path("pids").toString()).contains("\"" + pid + "\"");
        assertThat(json(send("GET", "config/" + pid, null, null)).path("properties").path("mode").asText())
                .isEqualTo("hybrid");
        // the wrapped form GET answers is accepted back
        HttpResponse<String> wrapped = send("PUT", "config/" + pid, "application/json",
                "{\"properties\": {\"mode\": \"text\"}}".getBytes(StandardCharsets.UTF_8));
        assertThat(json(wrapped).path("properties").toString()).isEqualTo("{\"mode\":\"text\"}");

        JsonNode bad = problem(send("PUT", "config/" + pid, "application/json",
                "{\"mode\": \"ok\", \"limits\": {\"max\": 3}}".getBytes(StandardCharsets.UTF_8)), 400, "invalid-config");
        assertThat(bad.path("detail").asText()).contains("'limits'");
        assertThat(bad.at("/violations/0/pointer").asText()).isEqualTo("/limits");
        problem(send("PUT", "config/" + pid, "application/json",
                "{\"bad key\": 1}".getBytes(StandardCharsets.UTF_8)), 400, "invalid-config");
        problem(send("PUT", "config/" + pid, "application/json",
                "{\"line\": \"a\\nb\"}".getBytes(StandardCharsets.UTF_8)), 400, "invalid-config");
        problem(send("PUT", "config/" + pid, "application/json", "[1]".getBytes(StandardCharsets.UTF_8)), 400,
                "bad-request");
        problem(send("GET", "config/bad$pid", null, null), 400, "bad-request");
        // nothing of the refused writes landed
        assertThat(json(send("GET", "config/" + pid, null, null)).path("properties").toString())
                .isEqualTo("{\"mode\":\"text\"}");
    }

    @RepeatedTest(5)
    void anUploadAndAFolderDropOfTheSameBundleDoNotFight() throws Exception {
        long since = host.host.changes().lastId();
        byte[] v1 = jar("fixture-hello-v1");
        Path dropped = host.bundles.resolve(HELLO + ".jar");
        Thread dropper = Thread.ofPlatform().start(() -> {
            try {
                Path temp = Files.createTempFile(host.bundles, ".drop-", ".tmp");
                Files.write(temp, v1);
                Files.move(temp, dropped, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        HttpResponse<String> uploaded = upload(v1);
        dropper.join();
        // whichever came first installed it; the other saw it there (201, or 409 when the drop won)
        assertThat(uploaded.statusCode()).as(uploaded.body()).isIn(201, 409);
        Eventually.await("the module to be active", () -> host.report(HELLO + ".jar")
                .map(r -> r.state().equals("ACTIVE")).orElse(false));
        // Let the watcher see the folder after the race: once a jar dropped later is deployed, it has
        // scanned the hello jar too; a start through the API then waits behind whatever it queued for it.
        host.deploy("fixture-greeter", "greeter-after-race.jar");
        Eventually.await("the later drop to be deployed", () -> host.report("greeter-after-race.jar")
                .map(r -> r.state().equals("ACTIVE")).orElse(false));
        assertThat(send("POST", "modules/" + HELLO + "/start", null, null).statusCode()).isEqualTo(200);
        List<HostEvent> events = eventsSince(since, HELLO);
        assertThat(events.stream().filter(e -> e.type() == EventType.MODULE_INSTALLED).count()).isEqualTo(1);
        assertThat(events).noneMatch(e -> e.type() == EventType.MODULE_FAILED || e.type() == EventType.MODULE_UPDATED);
        assertThat(host.host.readiness().bundles().stream().filter(r -> HELLO.equals(r.symbolicName())).count())
                .isEqualTo(1);
        host.undeploy("greeter-after-race.jar");
        Eventually.await("the later drop to be gone", () -> host.report("greeter-after-race.jar").isEmpty());
    }

    @Test
    void twentyUpdatesUnderSixteenConcurrentCallersFailNoCall() throws Exception {
        assertThat(upload(jar("fixture-hello-v1")).statusCode()).isEqualTo(201);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int n = i;
            callers.add(Thread.ofPlatform().name("caller-" + i).start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = send("POST", "tools/calculate/call", "application/json",
                                ("{\"expression\": \"" + n + " + 1\"}").getBytes(StandardCharsets.UTF_8));
                        JsonNode body = JSON.readTree(r.body());
                        if (r.statusCode() != 200 || body.path("isError").asBoolean()
                                || !body.toString().contains(Integer.toString(n + 1))) {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                        calls.incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        // and four on the tool of the module being swapped: they wait for the new version, never fail
        for (int i = 0; i < 4; i++) {
            callers.add(Thread.ofPlatform().name("hello-caller-" + i).start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = send("POST", "tools/hello/call", "application/json",
                                "{\"name\": \"Ann\"}".getBytes(StandardCharsets.UTF_8));
                        if (r.statusCode() != 200 || JSON.readTree(r.body()).path("isError").asBoolean()
                                || !r.body().contains("Hello, Ann!")) {
                            failures.add("hello: " + r.statusCode() + " " + r.body());
                        }
                        calls.incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        failures.add("hello: " + e);
                    }
                }
            }));
        }
        // and two on the same tool through a virtual server: they wait for the new version too
        URI greeters = URI.create("http://127.0.0.1:" + host.host.port() + "/servers/greeters/mcp");
        for (int i = 0; i < 2; i++) {
            McpClient client = new McpClient(greeters).initialize();
            callers.add(Thread.ofPlatform().name("virtual-hello-caller-" + i).start(() -> {
                while (running.get()) {
                    try {
                        JsonNode r = client.call("tools/call", "{\"name\":\"hello\",\"arguments\":{\"name\":\"Bo\"}}");
                        if (!r.has("result") || r.at("/result/isError").asBoolean()
                                || !r.toString().contains("Hello, Bo!")) {
                            failures.add("virtual hello: " + r);
                        }
                        calls.incrementAndGet();
                    } catch (IOException | InterruptedException | AssertionError e) {
                        failures.add("virtual hello: " + e);
                    }
                }
            }));
        }
        try {
            for (int i = 0; i < 20; i++) {
                String fixture = i % 2 == 0 ? "fixture-hello-v2" : "fixture-hello-v1";
                HttpResponse<String> updated = send("PUT", "modules/" + HELLO, "application/java-archive", jar(fixture));
                assertThat(updated.statusCode()).as("update %d: %s", i, updated.body()).isEqualTo(200);
                assertThat(json(updated).path("version").asText()).isEqualTo(i % 2 == 0 ? "2.0.0" : "1.0.0");
            }
        } finally {
            // a failed update must stop the callers too, or they call on for the rest of the run
            running.set(false);
        }
        for (Thread t : callers) {
            t.join(Duration.ofSeconds(150));
            assertThat(t.isAlive()).as("%s hung", t.getName()).isFalse();
        }
        assertThat(failures).isEmpty();
        assertThat(calls.get()).isGreaterThan(16);
        assertThat(json(send("GET", "modules/" + HELLO, null, null)).path("version").asText()).isEqualTo("1.0.0");
    }
}
