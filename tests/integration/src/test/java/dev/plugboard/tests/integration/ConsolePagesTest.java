package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's pages with a large catalogue (1,000 tools) and 100 bundles: every page stays under 150 KB
 * because lists are paged. Each page's size and the time the server took (the median of five loopback
 * requests, reported, never asserted) go to {@code target/console-pages.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePagesTest {

    static final int LIMIT = 150 * 1024;

    private Path root;

    private TestHost host;
    private String base;
    private String cookie;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        this.root = root;
        Path config = Files.createDirectories(root.resolve("config"));
        Files.writeString(config.resolve("dev.plugboard.fixtures.console.cfg"), "bulkTools=1000\n");
        Path bundles = Files.createDirectories(root.resolve("bundles"));
        for (int i = 0; i < 97; i++) {
            emptyBundle(bundles.resolve("bench-" + i + ".jar"), String.format("dev.plugboard.bench.bundle%03d", i));
        }
        host = TestHost.start(root, Map.of(), "plugboard-console", "fixture-console", "plugboard-essentials");
        base = "http://127.0.0.1:" + host.host.port();
        Eventually.await("1,000 tools", () -> host.host.catalog().tool("bulk_0999").isPresent());
        String adminKey = Files.readString(root.resolve("data").resolve("admin.key")).strip();
        cookie = logIn(adminKey);
    }

    @AfterAll
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void everyPageIsUnder150KilobytesWithAThousandToolsAndAHundredBundles() throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add("| page | bytes | server time (median of 5, ms) |");
        rows.add("|---|---:|---:|");
        for (String page : List.of("/console/overview", "/console/overview/live", "/console/modules",
                "/console/modules?page=1", "/console/catalogue", "/console/catalogue?kind=tools&q=bulk_05",
                "/console/catalogue?kind=resources", "/console/catalogue?kind=prompts", "/console/tools/bulk_0500",
                "/console/tools/shapes", "/console/tasks", "/console/access", "/console/login",
                "/console/upstreams", "/console/router", "/console/logs", "/console/logs?level=FINE",
                "/console/static/htmx.min.js", "/console/static/console.css")) {
            long[] nanos = new long[5];
            int bytes = 0;
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> answer = get(page);
                nanos[i] = System.nanoTime() - start;
                assertThat(answer.statusCode()).as(page).isEqualTo(200);
                bytes = answer.body().length + answer.headers().map().entrySet().stream()
                        .mapToInt(e -> e.getKey().length() + e.getValue().stream().mapToInt(String::length).sum() + 4)
                        .sum();
            }
            Arrays.sort(nanos);
            assertThat(bytes).as(page + " transferred").isLessThan(LIMIT);
            rows.add("| `" + page + "` | " + bytes + " | " + String.format("%.1f", nanos[2] / 1e6) + " |");
        }
        String catalogue = new String(get("/console/catalogue").body());
        assertThat(count(catalogue, "<tr data-entry=")).as("one page of tools").isBetween(1, 100);
        assertThat(catalogue).contains("Next page");
        String modules = new String(get("/console/modules").body());
        assertThat(count(modules, "<tr data-module=")).isEqualTo(50);
        assertThat(modules).contains("100 modules");
        String report = String.join("\n", rows) + "\n";
        Files.writeString(Path.of("target", "console-pages.md"), report);
        System.out.print(report);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    private String logIn(String key) throws IOException, InterruptedException {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/console/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String login = form.headers().firstValue("Set-Cookie").orElseThrow();
        Matcher token = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(form.body());
        assertThat(token.find()).isTrue();
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(base + "/console/login"))
                .header("Cookie", login.substring(0, login.indexOf(';')))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + key + "&csrf=" + token.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).isEqualTo(303);
        String session = in.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("pb_console="))
                .findFirst().orElseThrow();
        return session.substring(0, session.indexOf(';'));
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A bundle with a manifest and nothing else: a module that provides nothing. */
    private static void emptyBundle(Path file, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }
}
