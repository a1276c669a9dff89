package dev.plugboard.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.complete.Argument;
import dev.plugboard.console.form.SchemaForm;
import dev.plugboard.console.session.ConsoleSession;
import dev.plugboard.console.session.ConsoleSessions;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every page rendered from the precompiled templates with hostile values: all escaped, nothing inline. */
class TemplatesTest {

    private static final String XSS = "<script>alert(1)</script>\"' onmouseover=alert(2)";
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[a-zA-Z][a-zA-Z0-9]*((?:\\s+[^\\s=>/]+(?:=\"[^\"]*\"|='[^']*'|=[^\\s>]+)?)*)\\s*/?>");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\s+([^\\s=>/]+)(?:=\"[^\"]*\"|='[^']*'|=[^\\s>]+)?");

    private final Console console = new Console(new ConsoleSessions(Duration.ofMinutes(5), Clock.systemUTC()),
            new HostApi(new ObjectMapper()));
    private final ConsoleSession session = new ConsoleSession("id", "key", "csrf-token", XSS,
            new ConsoleSession.Rights(true, true), Instant.now());
    private final Chrome chrome = new Chrome(XSS, "overview", session, XSS, false);

    @Test
    void everyPageEscapesWhatItShowsAndHasNoInlineScript() throws Exception {
        var schema = new ObjectMapper().readTree("{\"type\":\"object\",\"properties\":{\"" + XSS.replace("\"", "\\\"")
                + "\":{\"type\":\"string\",\"description\":\"<b>bold</b>\",\"default\":\"</textarea><script>x()</script>\"},"
                + "\"pick\":{\"oneOf\":[{\"type\":\"string\",\"title\":\"<i>a</i>\"},{\"type\":\"integer\"}]}}}");
        ResultView result = new ResultView("", false, List.of(new ResultView.Item("text", XSS, "", "", ""),
                new ResultView.Item("image", "", "data:image/png;base64,AAAA", "", "image/png")), "{\"a\":\"" + XSS
                + "\"}", "{}");
        Map<String, Map<String, Object>> pages = new HashMap<>();
        pages.put("login.jte", Map.of("chrome", new Chrome("Log in", "login", null, XSS, false), "csrf", "t"));
        pages.put("refused.jte", Map.of("chrome", chrome));
        pages.put("overview.jte", Map.of("chrome", chrome, "figures", new Overview("UP", XSS, List.of(
                new Overview.Part(XSS, "UP", XSS)), MetricsText.parse(""), 0, Map.of(XSS, 1L),
                RouterFigures.parse("router_cost_usd_total{tier=\"L1\"} 0.25\nrouter_requests_total{outcome=\"ok\"} 3"))));
        pages.put("modules.jte", Map.of("chrome", chrome, "modules", List.of(new ModulePages.ModuleRow(XSS, XSS, "ACTIVE",
                List.of(XSS), 1, 0, XSS, List.of(XSS))), "page", 0, "more", true, "total", 1));
        pages.put("catalogue.jte", Map.of("chrome", chrome, "kind", "tools", "q", XSS, "bundle", XSS, "entries",
                List.of(new CataloguePages.Entry("tools", XSS, XSS, XSS, XSS, "/console/tools/x")), "next", ""));
        Map<String, Object> tool = new HashMap<>();
        tool.put("chrome", chrome);
        tool.put("tool", new ToolPages.ToolView(XSS, XSS, XSS, XSS, XSS, XSS, XSS, XSS, "/console/tools/x/run"));
        tool.put("fields", SchemaForm.of(schema).fields());
        tool.put("result", result);
        tool.put("json", XSS);
        pages.put("tool.jte", tool);
        pages.put("tasks.jte", Map.of("chrome", chrome, "tasks", List.of(new TaskPages.TaskView(XSS, XSS, "working",
                XSS, XSS, XSS, XSS)), "status", "", "next", ""));
        Map<String, Object> task = new HashMap<>();
        task.put("chrome", chrome);
        task.put("task", new TaskPages.TaskView("t1", XSS, "completed", XSS, "", "", ""));
        task.put("result", result);
        task.put("cancelPath", "/c");
        task.put("livePath", "/l");
        pages.put("task.jte", task);
        pages.put("access.jte", Map.of("chrome", chrome, "keys", List.of(new AccessPages.KeyView(XSS, XSS, XSS, XSS,
                XSS, "/r")), "created", XSS, "audit", List.of(new AccessPages.AuditView(XSS, XSS, XSS, XSS, XSS)),
                "auditProblem", XSS, "auditNext", "/n", "sessions", List.of(new AccessPages.SessionView(XSS, "admin",
                XSS, XSS, true))));
        pages.put("upstreams.jte", Map.of("chrome", chrome, "problem", XSS, "proxy", "running", "fileError", XSS,
                "upstreams", List.of(new UpstreamPages.UpstreamView(XSS, XSS, XSS, XSS, XSS, XSS, 3, 1,
                        "/console/catalogue?kind=tools&q=x")), "servers", List.of(new UpstreamPages.ServerView(XSS, XSS,
                        XSS, XSS, XSS))));
        pages.put("logs.jte", Map.of("chrome", chrome, "levels", List.of("INFO", XSS), "level", XSS, "records",
                List.of(new LogPages.Line(1, XSS, XSS, XSS, XSS, XSS)), "problem", XSS, "stream", "/console/logs/stream"));
        pages.put("router.jte", Map.of("chrome", chrome, "state", "serving", "why", XSS, "tiers",
                List.of(new RouterPages.TierView(XSS, XSS)), "models", List.of(new RouterPages.ModelView(XSS, XSS, 1, 2)),
                "figures", RouterFigures.parse("router_cost_usd_total{tier=\"" + XSS + "\"} 1.5\n"), "decisions",
                List.of(new RouterPages.DecisionView(XSS, XSS, XSS, XSS, XSS, XSS, XSS, XSS)), "admin", true));

        pages.put("config.jte", Map.of("chrome", chrome, "pids", List.of(XSS, "dev.plugboard.search"), "pid", XSS,
                "settings", List.of(new ConfigPages.Setting(XSS, XSS)), "fresh", true));
        var info = new ResourcePages.ResourceInfo(XSS, XSS, XSS, XSS, XSS, false);
        var contents = new ContentsView(XSS, "", List.of(new ResultView.Item("text", XSS, "", XSS, "text/plain"),
                new ResultView.Item("binary", XSS, "", XSS, XSS)));
        List<Argument> arguments = List.of(new Argument(XSS, XSS, true, XSS));
        Map<String, Object> resource = new HashMap<>();
        resource.put("chrome", chrome);
        resource.put("resource", info);
        resource.put("contents", contents);
        pages.put("resource.jte", resource);
        Map<String, Object> template = new HashMap<>(resource);
        template.put("arguments", arguments);
        template.put("contents", new ContentsView(XSS, XSS, List.of()));
        pages.put("resource_template.jte", template);
        Map<String, Object> prompt = new HashMap<>();
        prompt.put("chrome", chrome);
        prompt.put("prompt", new PromptPages.PromptView(XSS, XSS, XSS, XSS, "/console/prompts/x/render"));
        prompt.put("arguments", arguments);
        prompt.put("rendered", new PromptPages.Rendered("", XSS, List.of(new PromptPages.MessageView(XSS,
                new ResultView.Item("resource_link", XSS, "", XSS, "")))));
        pages.put("prompt.jte", prompt);
        for (var page : pages.entrySet()) {
            String html = console.render(page.getKey(), page.getValue());
            assertThat(html).as(page.getKey()).doesNotContain("<script>alert").doesNotContain("<b>bold")
                    .doesNotContain("<i>a</i>").doesNotContain("</textarea><script>")
                    .doesNotContain("\" onmouseover").contains("&lt;script&gt;");
            assertThat(INLINE_SCRIPT.matcher(html).find()).as(page.getKey() + " inline script").isFalse();
            var tags = TAG.matcher(html);
            int count = 0;
            while (tags.find()) {
                count++;
                var attributes = ATTRIBUTE.matcher(tags.group(1));
                while (attributes.find()) {
                    String name = attributes.group(1).toLowerCase(java.util.Locale.ROOT);
                    assertThat(name).as(page.getKey() + ": " + tags.group()).doesNotStartWith("on").isNotEqualTo("style");
                }
            }
            assertThat(count).as(page.getKey() + " tags").isGreaterThan(10);
            if (!"login.jte".equals(page.getKey())) {
                assertThat(html).as(page.getKey()).contains("<meta name=\"csrf-token\" content=\"csrf-token\">");
            }
        }
    }

    @Test
    void theToolFormHasALabelForEveryControl() throws Exception {
        var schema = new ObjectMapper().readTree("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},"
                + "\"b\":{\"type\":\"boolean\"},\"c\":{\"enum\":[1,2]},\"d\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
                + "\"e\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"object\",\"properties\":{\"f\":{\"type\":\"number\"}}}]}}}");
        Map<String, Object> tool = new HashMap<>();
        tool.put("chrome", chrome);
        tool.put("tool", new ToolPages.ToolView("t", "", "", "b", "", "{}", "", "", "/console/tools/t/run"));
        tool.put("fields", SchemaForm.of(schema).fields());
        tool.put("result", null);
        tool.put("json", "{}");
        String html = console.render("tool.jte", tool);
        var ids = Pattern.compile("<(?:input|select|textarea)[^>]*\\sid=\"([^\"]+)\"").matcher(html);
        int controls = 0;
        while (ids.find()) {
            controls++;
            assertThat(html).as("label of " + ids.group(1)).contains("for=\"" + ids.group(1) + "\"");
        }
        assertThat(controls).isGreaterThanOrEqualTo(8);
    }

    @Test
    void theArgumentFormsHaveALabelForEveryControlAndCompletionNamesItsArgument() {
        Map<String, Object> prompt = new HashMap<>();
        prompt.put("chrome", chrome);
        prompt.put("prompt", new PromptPages.PromptView("p", "", "", "", "/console/prompts/p/render"));
        prompt.put("arguments", List.of(new Argument("colour", "which", true, ""), new Argument("wall \"x\"", "", false,
                "")));
        prompt.put("rendered", null);
        String html = console.render("prompt.jte", prompt);
        var ids = Pattern.compile("<(?:input|select|textarea)[^>]*\\sid=\"([^\"]+)\"").matcher(html);
        int controls = 0;
        while (ids.find()) {
            controls++;
            assertThat(html).as("label of " + ids.group(1)).contains("for=\"" + ids.group(1) + "\"");
        }
        assertThat(controls).isEqualTo(2);
        assertThat(html).contains("list=\"arg-colour-options\"").contains("<datalist id=\"arg-colour-options\">")
                .contains("hx-vals=\"{&#34;_argument&#34;:&#34;colour&#34;}\"")
                .contains("hx-vals=\"{&#34;_argument&#34;:&#34;wall \\&#34;x\\&#34;&#34;}\"")
                .contains("name=\"_ref\" value=\"ref/prompt\"");
        String list = console.render("datalist.jte", Map.of("id", "arg-colour-options", "values", List.of("red", XSS)));
        assertThat(list).contains("<option value=\"red\">").doesNotContain("<script>");
    }

    @Test
    void resourceContentsAreShownByType() throws Exception {
        var json = new ObjectMapper();
        var text = ResultView.Item.ofContents(json.readTree("{\"uri\":\"u\",\"mimeType\":\"text/plain\",\"text\":\"hi\"}"));
        assertThat(text.type()).isEqualTo("text");
        assertThat(text.text()).isEqualTo("hi");
        var image = ResultView.Item.ofContents(json.readTree("{\"uri\":\"u\",\"mimeType\":\"image/png\",\"blob\":\"AAAA\"}"));
        assertThat(image.type()).isEqualTo("image");
        assertThat(image.dataUrl()).isEqualTo("data:image/png;base64,AAAA");
        var forged = ResultView.Item.ofContents(json.readTree(
                "{\"uri\":\"u\",\"mimeType\":\"image/png;x\\\"onerror\",\"blob\":\"AAAA\"}"));
        assertThat(forged.type()).isEqualTo("binary");
        assertThat(forged.dataUrl()).isEmpty();
        var zip = ResultView.Item.ofContents(json.readTree("{\"uri\":\"u\",\"mimeType\":\"application/zip\",\"blob\":\"AAAAAAAA\"}"));
        assertThat(zip.type()).isEqualTo("binary");
        assertThat(zip.text()).contains("6 bytes");
    }

    @Test
    void theStaticFilesAreInTheBundle() throws Exception {
        for (var asset : StaticFiles.FILES.values()) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(asset.path())) {
                assertThat(in).as(asset.path()).isNotNull();
                assertThat(in.readAllBytes().length).as(asset.path()).isGreaterThan(500);
            }
        }
    }

    @Test
    void theRouterPageSaysWhenTheRouterIsAbsentOrOff() {
        Map<String, Object> params = new HashMap<>(Map.of("chrome", chrome, "state", "absent", "why", "", "tiers",
                List.of(), "models", List.of(), "figures", RouterFigures.parse(null), "decisions", List.of(),
                "admin", false));
        assertThat(console.render("router.jte", params)).contains("data-router=\"absent\"").doesNotContain("id=\"tiers\"");
        params.put("state", "off");
        params.put("why", "the model router is not configured: <write router.json>");
        assertThat(console.render("router.jte", params)).contains("data-router=\"off\"")
                .contains("not configured: &lt;write router.json&gt;");
    }

    @Test
    void routerFiguresAreRead() {
        RouterFigures f = RouterFigures.parse(String.join("\n",
                "# TYPE router_cost_usd_total counter",
                "router_cost_usd_total{model=\"a\",tier=\"cheap\"} 0.25",
                "router_cost_usd_total{model=\"b\",tier=\"strong\"} 1.0",
                "router_requests_total{model=\"a\",outcome=\"ok\",tier=\"cheap\"} 3",
                "router_requests_total{model=\"b\",outcome=\"error\",tier=\"strong\"} 1",
                "router_cache_hits_total{kind=\"exact\"} 4",
                "plugboard_sessions 2"));
        assertThat(f.spend()).isEqualTo("$1.250000");
        assertThat(f.spendByTier()).containsEntry("cheap", 0.25).containsEntry("strong", 1.0);
        assertThat(f.totalCalls()).isEqualTo(4);
        assertThat(f.cacheHitRate()).isEqualTo("50.0 %");
        assertThat(RouterFigures.parse("").cacheHitRate()).isEqualTo("no requests yet");
    }

    @Test
    void liveEventsCarryEachLineOfAFragmentAsData() {
        assertThat(LiveStream.frame(new LiveStream.Event("logs", "7\nx", "<tr>\n<td>a</td></tr>")))
                .isEqualTo("id: 7x\nevent: logs\ndata: <tr>\ndata: <td>a</td></tr>\n\n");
    }

    @Test
    void prometheusFiguresAreRead() {
        MetricsText m = MetricsText.parse("""
                # HELP x
                plugboard_requests_seconds_count{door="mcp",outcome="ok"} 90
                plugboard_requests_seconds_count{door="rest",outcome="server_error"} 10
                plugboard_requests_seconds_bucket{door="mcp",le="0.001"} 50
                plugboard_requests_seconds_bucket{door="mcp",le="0.01"} 99
                plugboard_requests_seconds_bucket{door="mcp",le="+Inf"} 100
                plugboard_sessions 3
                plugboard_catalog_tools 12
                plugboard_bundles{state="ACTIVE"} 4
                """);
        assertThat(m.requests()).isEqualTo(100);
        assertThat(m.errors()).isEqualTo(10);
        assertThat(m.p99Seconds()).isEqualTo(0.01);
        assertThat(m.sessions()).isEqualTo(3);
        assertThat(m.tools()).isEqualTo(12);
        assertThat(m.bundles()).containsEntry("ACTIVE", 4.0);
        assertThat(MetricsText.parse(null).p99Seconds()).isEqualTo(-1);
    }

    @Test
    void theOverviewShowsTheRoutersSpendOnlyWhenItHasCalls() {
        Overview.Part part = new Overview.Part("host", "UP", "");
        Overview withRouter = new Overview("UP", "1", List.of(part), MetricsText.parse(""), 0, Map.of(),
                RouterFigures.parse("router_cost_usd_total{tier=\"L1\"} 0.25\nrouter_requests_total{outcome=\"ok\"} 3"));
        assertThat(console.render("overview_live.jte", Map.of("figures", withRouter)))
                .contains("data-figure=\"router-spend\">$0.250000 in 3 calls");
        Overview without = new Overview("UP", "1", List.of(part), MetricsText.parse(""), 0, Map.of(),
                RouterFigures.parse(""));
        assertThat(console.render("overview_live.jte", Map.of("figures", without))).doesNotContain("router-spend");
    }
}
