package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.metrics.MeterNames;
import dev.plugboard.router.testing.FakeOpenAi;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of {@code distribution/monitoring/}: the alert rules pass {@code promtool check rules},
 * and every metric the dashboard's and the rules' queries name is exposed by a running server, or
 * is in the documented list of metrics other parts register later (each tied to a constant in
 * {@link MeterNames}); the model router's row is checked against a running router bundle.
 */
class MonitoringFilesTest {

    private static final Path MONITORING = Path.of(System.getProperty("user.dir"))
            .resolve("../../distribution/monitoring").normalize();
    private static final Path RULES = MONITORING.resolve("plugboard-alerts.yml");
    private static final Path DASHBOARD = MONITORING.resolve("plugboard-dashboard.json");
    private static final Path LATER = MONITORING.resolve("metrics-added-later.txt");
    private static final Pattern EXPR = Pattern.compile("^\\s*expr:\\s*\\|?\\s*$|^\\s*expr:\\s*(.+)$");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset");

    @TempDir
    Path root;

    @Test
    void alertRulesPassPromtool() throws Exception {
        Process p = new ProcessBuilder(Scrape.promtool().toString(), "check", "rules", RULES.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void everyMetricTheQueriesNameIsExposed() throws Exception {
        Map<String, String> later = later();
        Set<String> constants = new TreeSet<>();
        for (Field f : MeterNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                constants.add(f.getName());
            }
        }
        later.forEach((name, constant) -> {
            assertThat(constants).as("the MeterNames constant of " + name).contains(constant);
            assertThat(prometheusName(constant)).as("the Prometheus name of MeterNames." + constant).isEqualTo(name);
        });

        List<String> queries = new ArrayList<>(ruleQueries());
        queries.addAll(dashboardQueries());
        assertThat(queries).hasSizeGreaterThan(20);
        Set<String> used = new TreeSet<>();
        queries.forEach(q -> used.addAll(metricNames(q)));
        assertThat(used).contains("plugboard_requests_seconds_count", "plugboard_requests_seconds_bucket",
                "plugboard_bundles", "plugboard_health_up", "resilience4j_circuitbreaker_state");

        try (TestHost host = TestHost.start(root, Map.of(), "fixture-hello-v1")) {
            McpClient mcp = new McpClient(host.mcp).initialize();
            mcp.callTool("hello", "{\"name\":\"Ann\"}");
            Set<String> exposed = Scrape.of(host.host.port()).names();
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(exposed);
            missing.removeAll(later.keySet());
            missing.removeIf(MonitoringFilesTest::fromTheRouter);
            assertThat(missing).as("metrics the monitoring files use that the server does not expose").isEmpty();
        }
    }

    /** Whether a metric is one the model router's row shows, checked against a running router below. */
    private static boolean fromTheRouter(String metric) {
        return metric.startsWith("router_") || metric.startsWith("plugboard_graphql_plugin_");
    }

    @Test
    void everyRouterMetricTheDashboardNamesIsExposedByTheRouterBundle() throws Exception {
        Set<String> used = new TreeSet<>();
        dashboardQueries().forEach(q -> used.addAll(metricNames(q)));
        used.removeIf(name -> !fromTheRouter(name));
        assertThat(used).contains("router_requests_total", "router_cost_usd_total", "router_escalations_total",
                "router_budget_refusals_total", "plugboard_graphql_plugin_fields_seconds_count");

        try (FakeOpenAi fake = new FakeOpenAi();
                TestHost host = TestHost.start(root, Map.of(), "plugboard-router")) {
            Path config = Files.createDirectories(root.resolve("config"));
            Files.writeString(config.resolve("router.json.tmp"), """
                    {"providers": {"fake": {"baseUrl": "%s", "apiKey": "sk-local"}},
                     "models": {"small": {"provider": "fake", "model": "tiny-1", "inputPerMillion": 1, "outputPerMillion": 2},
                                "big": {"provider": "fake", "inputPerMillion": 10, "outputPerMillion": 20}},
                     "tiers": {"L0": {"models": ["small"]}, "L2": {"models": ["big"]}},
                     "budgets": [{"name": "none-left", "caller": "spender", "period": "day", "limitUsd": 0.000000001}]}
                    """.formatted(fake.baseUrl()));
            Files.move(config.resolve("router.json.tmp"), config.resolve("router.json"),
                    StandardCopyOption.ATOMIC_MOVE);
            McpClient mcp = new McpClient(host.mcp).initialize();
            Eventually.await("the router's tools", () -> host.hasTool("ask"));
            // answers (requests, tokens, cost, latency), the same question again (a cache hit), a failing
            // L0 (an escalation to L2), a stream (time to first token), a caller over its budget, and a
            // GraphQL field of the router
            mcp.callTool("ask", "{\"question\":\"same\"}");
            mcp.callTool("ask", "{\"question\":\"same\"}");
            FakeOpenAi.Reply down = new FakeOpenAi.Status(500, "server_error", "down", null);
            fake.script("tiny-1", down, down, down, down, down, down);
            mcp.callTool("ask", "{\"question\":\"escalate me\"}");
            String spender = host.host.security().keys().add("spender", List.of("user"), List.of("*"), null).secret();
            String ask = "{\"model\":\"L2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertThat(post(host, "/v1/chat/completions", ask, null).statusCode()).isEqualTo(200);
            assertThat(post(host, "/v1/chat/completions", ask, "Bearer " + spender).statusCode()).isEqualTo(429);
            assertThat(post(host, "/graphql", "{\"query\":\"{ router { state } }\"}", null).body()).contains("serving");

            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(Scrape.of(host.host.port()).names());
            assertThat(missing).as("router metrics the dashboard uses that a running router does not expose")
                    .isEmpty();
        }
    }

    private static HttpResponse<String> post(TestHost host, String path, String body, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.host.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Micrometer's Prometheus name of a gauge or counter name (counters gain {@code _total}; not needed here). */
    private static String prometheusName(String constant) {
        try {
            return ((String) MeterNames.class.getField(constant).get(null)).replace('.', '_');
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> later() throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(LATER)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            assertThat(parts).as(line).hasSize(2);
            out.put(parts[0], parts[1]);
        }
        return out;
    }

    /** The {@code expr} of every rule (a block scalar, or one line). */
    static List<String> ruleQueries() throws Exception {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(RULES);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = EXPR.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            if (m.group(1) != null) {
                out.add(m.group(1));
                continue;
            }
            int indent = -1;
            StringBuilder block = new StringBuilder();
            for (i++; i < lines.size(); i++) {
                String l = lines.get(i);
                int lead = l.length() - l.stripLeading().length();
                if (!l.isBlank() && indent < 0) {
                    indent = lead;
                }
                if (!l.isBlank() && lead < indent) {
                    i--;
                    break;
                }
                block.append(l).append('\n');
            }
            out.add(block.toString());
        }
        return out;
    }

    private static List<String> dashboardQueries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.get("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.has("definition")) {
                out.add(variable.get("definition").asText().replaceAll("^label_values\\(([^,]+),.*$", "$1"));
            }
        }
        return out;
    }

    /**
     * The metric names of a PromQL query: its words once label matchers, strings, grouping clauses,
     * ranges and numbers are taken out, other than functions (a word before a parenthesis) and
     * keywords.
     */
    static Set<String> metricNames(String query) {
        String q = query.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(q);
        while (m.find()) {
            String word = m.group().replaceAll("[\\s(]", "");
            boolean function = m.group(1) != null;
            if (!function && !PROMQL_WORDS.contains(word)) {
                int start = m.start();
                boolean partOfNumber = start > 0 && (Character.isDigit(q.charAt(start - 1)) || q.charAt(start - 1) == '.');
                if (!partOfNumber) {
                    out.add(word);
                }
            }
        }
        return out;
    }
}
