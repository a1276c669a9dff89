package dev.plugboard.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client side of {@code plugboard modules} and {@code plugboard config}, against an HTTP server on
 * loopback that answers like the admin REST API: the requests it sends (method, path, headers, body)
 * and what it prints for answers and problem documents.
 */
class ModulesCommandTest {

    private static final String KEY = "k3y-for-tests";

    @TempDir
    Path home;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile byte[] lastBody = new byte[0];
    private volatile String lastContentType;
    private volatile boolean upgradeOffered;
    private Path keyFile;
    private String url;

    @BeforeEach
    void startServer() throws IOException {
        keyFile = Files.writeString(home.resolve("admin.key"), KEY + "\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/", this::answer);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange x) throws IOException {
        String method = x.getRequestMethod();
        String path = x.getRequestURI().getRawPath();
        lastBody = x.getRequestBody().readAllBytes();
        lastContentType = x.getRequestHeaders().getFirst("Content-Type");
        requests.add(method + " " + path);
        if (x.getRequestHeaders().containsKey("Upgrade")) {
            // the host's server does not take an HTTP/2 upgrade offer on an upload
            upgradeOffered = true;
        }
        if (!("Bearer " + KEY).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            send(x, 401, "application/problem+json", """
                    {"type":"https://plugboard.dev/problems/unauthenticated","title":"Unauthorized","status":401,
                     "detail":"admin operations need the admin key"}""");
            return;
        }
        switch (method + " " + path) {
            case "GET /api/v1/modules" -> send(x, 200, "application/json", """
                    [{"name":"plugboard-essentials","version":"0.1.0","state":"ACTIVE"},
                     {"name":"broken-tools","version":"2.0.0","state":"INSTALLED","lastError":"missing package org.acme"}]""");
            case "POST /api/v1/modules" -> send(x, 201, "application/json",
                    "{\"name\":\"hello\",\"version\":\"1.0.0\",\"state\":\"ACTIVE\"}");
            case "PUT /api/v1/modules/hello" -> send(x, 200, "application/json",
                    "{\"name\":\"hello\",\"version\":\"2.0.0\",\"state\":\"ACTIVE\"}");
            case "POST /api/v1/modules/hello/stop" -> send(x, 200, "application/json",
                    "{\"name\":\"hello\",\"version\":\"2.0.0\",\"state\":\"RESOLVED\"}");
            case "POST /api/v1/modules/hello/start" -> send(x, 204, null, "");
            case "DELETE /api/v1/modules/hello" -> send(x, 204, null, "");
            case "GET /api/v1/config/org.acme.weather" -> send(x, 200, "application/json",
                    "{\"pid\":\"org.acme.weather\",\"properties\":{\"units\":\"metric\",\"timeout\":\"5\"}}");
            case "PUT /api/v1/config/org.acme.weather" -> send(x, 200, "application/json", new String(lastBody,
                    StandardCharsets.UTF_8));
            default -> send(x, 404, "application/problem+json", """
                    {"type":"https://plugboard.dev/problems/not-found","title":"Not Found","status":404,
                     "detail":"no module named 'nosuch'"}""");
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (type != null) {
            x.getResponseHeaders().set("Content-Type", type);
        }
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    private CliRun run(String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--url", url, "--key-file", keyFile.toString())).toArray(String[]::new);
        return CliRun.of(home, all);
    }

    @Test
    void listsModulesAsATableWithTheirProblems() {
        CliRun r = run("modules", "list");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME                  VERSION  STATE      PROBLEM
                plugboard-essentials  0.1.0    ACTIVE
                broken-tools          2.0.0    INSTALLED  missing package org.acme
                """);
        assertThat(requests).containsExactly("GET /api/v1/modules");
        assertThat(run("modules", "list", "--json").out()).contains("\"lastError\" : \"missing package org.acme\"");
    }

    @Test
    void installsAndUpdatesByUploadingTheJarAsItIs() throws IOException {
        Path jar = Files.write(home.resolve("hello.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        CliRun installed = run("modules", "install", jar.toString());
        assertThat(installed.code()).isZero();
        assertThat(installed.out()).isEqualTo("installed hello 1.0.0 (ACTIVE)\n");
        assertThat(lastContentType).isEqualTo("application/java-archive");
        assertThat(lastBody).isEqualTo(Files.readAllBytes(jar));
        CliRun updated = run("modules", "update", "hello", jar.toString());
        assertThat(updated.out()).isEqualTo("updated hello 2.0.0 (ACTIVE)\n");
        assertThat(requests).containsExactly("POST /api/v1/modules", "PUT /api/v1/modules/hello");
        assertThat(upgradeOffered).as("an HTTP/2 upgrade offered on an upload").isFalse();
    }

    @Test
    void startsStopsAndRemoves() {
        assertThat(run("modules", "stop", "hello").out()).isEqualTo("stopped hello 2.0.0 (RESOLVED)\n");
        assertThat(run("modules", "start", "hello").out()).isEqualTo("started hello\n");
        assertThat(run("modules", "remove", "hello").out()).isEqualTo("removed hello\n");
        assertThat(requests).containsExactly("POST /api/v1/modules/hello/stop", "POST /api/v1/modules/hello/start",
                "DELETE /api/v1/modules/hello");
    }

    @Test
    void aProblemDocumentIsPrintedAsTitleAndDetailWithExitCode1() {
        CliRun r = run("modules", "stop", "nosuch");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("plugboard modules: Not Found: no module named 'nosuch'\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aWrongKeySaysWhereTheKeyIs() throws IOException {
        Files.writeString(keyFile, "wrong");
        CliRun r = run("modules", "list");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("plugboard modules: Unauthorized: admin operations need the admin key")
                .contains("admin.key").contains("--key-file");
    }

    @Test
    void aMissingKeyFileOrJarIsRefusedBeforeAnyRequest() {
        CliRun noKey = CliRun.of(home, "modules", "list", "--url", url, "--key-file", home.resolve("none.key").toString());
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).startsWith("plugboard modules: no admin key at " + home.resolve("none.key"));
        CliRun noJar = run("modules", "install", home.resolve("missing.jar").toString());
        assertThat(noJar.code()).isEqualTo(2);
        assertThat(noJar.err()).isEqualTo("plugboard modules: there is no file " + home.resolve("missing.jar") + "\n");
        assertThat(requests).isEmpty();
    }

    @Test
    void theDefaultKeyIsTheDataFoldersAdminKey() throws IOException {
        Path data = Files.createDirectories(home.resolve("data"));
        Files.writeString(data.resolve("admin.key"), KEY);
        CliRun r = CliRun.of(home, "modules", "list", "--url", url);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("plugboard-essentials");
    }

    @Test
    void aServerThatIsNotRunningIsNamed() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliRun r = CliRun.of(home, "modules", "list", "--url", "http://127.0.0.1:" + closed, "--key-file",
                keyFile.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("plugboard modules: no Plugboard answers at http://127.0.0.1:" + closed
                + " (is it running? start it with plugboard serve, or give its address with --url)\n");
    }

    @Test
    void configGetPrintsPropertiesAndSetChangesOnlyTheKeysGiven() {
        CliRun get = run("config", "get", "org.acme.weather");
        assertThat(get.code()).isZero();
        assertThat(get.out()).isEqualTo("units=metric\ntimeout=5\n");
        CliRun set = run("config", "set", "org.acme.weather", "units=imperial", "region=eu");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(new String(lastBody, StandardCharsets.UTF_8))
                .isEqualTo("{\"properties\":{\"units\":\"imperial\",\"timeout\":\"5\",\"region\":\"eu\"}}");
        assertThat(set.out()).isEqualTo("units=imperial\ntimeout=5\nregion=eu\n");
    }
}
