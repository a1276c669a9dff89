package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * One scrape of {@code GET /metrics}: checked by Prometheus' own parser ({@code promtool check
 * metrics}, which fails on anything that is not the text format), then read into samples.
 */
final class Scrape {

    /** A sample: its name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final String text;
    final List<Sample> samples;

    private Scrape(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    /** Scrapes a server and checks the text with promtool. */
    static Scrape of(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        checkWithPromtool(r.body());
        return new Scrape(r.body(), parse(r.body()));
    }

    /** The promtool of the machine (Debian's package {@code prometheus}); fails the test clearly without one. */
    static Path promtool() {
        for (String dir : (System.getenv("PATH") + ":/usr/bin:/usr/local/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("promtool is not installed: it checks the metrics format and the alert rules"
                + " (Debian: apt-get install -y prometheus; .ci/run installs it)");
    }

    /**
     * Runs {@code promtool check metrics} over a scrape: exit 1 is a parse failure (the text is not
     * the Prometheus format); 3 is lint advice about names, which is not this test's concern.
     */
    private static void checkWithPromtool(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(promtool().toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(out).as("promtool's verdict").doesNotContain("error while linting");
        assertThat(p.exitValue()).as("promtool check metrics: " + out).isIn(0, 3);
    }

    /** The value of the one sample with this name and at least these labels; fails when there is none or several. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        assertThat(found).as(name + labels + " in\n" + grep(name)).hasSize(1);
        return found.get(0).value();
    }

    /** The value of the sample with this name and labels, or 0 when there is none. */
    double valueOrZero(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        return found.isEmpty() ? 0 : value(name, labels);
    }

    List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The names of every sample. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    private String grep(String name) {
        return String.join("\n", text.lines().filter(l -> l.startsWith(name)).limit(40).toList());
    }

    static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            String name = line.substring(0, i);
            Map<String, String> labels = new LinkedHashMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq).trim();
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (; line.charAt(j) != '"'; j++) {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char next = line.charAt(++j);
                            value.append(next == 'n' ? '\n' : next);
                        } else {
                            value.append(c);
                        }
                    }
                    labels.put(key, value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                i++;
            }
            String[] rest = line.substring(i).trim().split(" ");
            double value = switch (rest[0]) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(rest[0]);
            };
            out.add(new Sample(name, labels, value));
        }
        return out;
    }
}
