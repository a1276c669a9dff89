package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real Chromium (Debian's {@code chromium} and {@code chromium-driver}, headless), on a
 * real host with the console bundle deployed: login, a jar dropped on the modules page, a generated tool form
 * with nested and oneOf arguments, a key restricted to some tools, markup shown as text, a POST without the
 * CSRF token refused, and axe-core on every page. Screenshots go to {@code target/console-screenshots}.
 * Waits poll the page for the state they expect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path root;

    private TestHost host;
    private String base;
    private String adminKey;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private String axe;
    /** Serves fixture jars over loopback for installs from a URL: {@code /allowed/...} and {@code /elsewhere/...}. */
    private HttpServer jars;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        this.root = root;
        Path chromium = Path.of(System.getProperty("plugboard.test.chromium", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("plugboard.test.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(driver)) {
            fail("The console's browser tests need Debian's chromium and chromium-driver (" + chromium + ", " + driver
                    + "): apt-get install -y chromium chromium-driver");
        }
        Path axeScript = Path.of(System.getProperty("plugboard.test.npm"), "axe-core", "axe.min.js");
        if (!Files.isReadable(axeScript)) {
            fail("axe-core is missing at " + axeScript + ": run npm ci in tests/e2e");
        }
        axe = Files.readString(axeScript);
        jars = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jars.createContext("/", exchange -> {
            String file = exchange.getRequestURI().getPath().replaceFirst("^/(allowed|elsewhere)/", "");
            Path jar = TestHost.bundle(file.replaceFirst("\\.jar$", ""));
            if (file.matches("[a-z0-9-]+\\.jar") && Files.isReadable(jar)) {
                byte[] bytes = Files.readAllBytes(jar);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        jars.start();
        host = TestHost.start(root, Map.of("admin.installUrls", jarUrl("allowed", "")), "plugboard-console",
                "fixture-console");
        base = "http://127.0.0.1:" + host.host.port();
        adminKey = Files.readString(root.resolve("data").resolve("admin.key")).strip();
        Eventually.await("the console to be served", () -> status("/console/login") == 200);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createDirectories(root.resolve("chromium")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterAll
    void stop() {
        // each part is closed even when closing the one before failed (a browser that will not quit)
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try {
                if (host != null) {
                    host.close();
                }
            } finally {
                if (jars != null) {
                    jars.stop(0);
                }
            }
        }
    }

    @BeforeEach
    void loggedOut() {
        if (browser != null) {
            browser.manage().deleteAllCookies();
        }
    }

    @Test
    void logInSeeEveryPageWithoutAxeViolationsAndLogOut() throws Exception {
        browser.get(base + "/console/overview");
        wait.until(ExpectedConditions.urlContains("/console/login"));
        checkPage("login");
        logIn(adminKey);
        // the figures are replaced as the stream pushes them: look them up afresh until they show
        new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> !d.findElement(By.cssSelector("[data-figure=health]")).getText().isBlank());
        checkPage("overview");
        for (String page : List.of("modules", "catalogue", "catalogue?kind=resources", "catalogue?kind=templates",
                "catalogue?kind=prompts", "tools/shapes", "resources?uri=console%3A%2F%2Fnotes%2Freadme",
                "templates?template=console%3A%2F%2Fcolours%2F%7Bname%7D", "prompts/paint", "tasks", "access", "upstreams", "router",
                "logs")) {
            browser.get(base + "/console/" + page);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
            assertThat(browser.getCurrentUrl()).endsWith(page);
            checkPage(page.replaceAll("[^a-z]+", "-"));
        }
        browser.findElement(By.cssSelector("form.logout button")).click();
        wait.until(ExpectedConditions.urlContains("/console/login"));
        browser.get(base + "/console/catalogue");
        wait.until(ExpectedConditions.urlContains("/console/login"));
    }

    @Test
    void aJarDroppedOnTheModulesPageBringsItsToolsIntoTheCatalogue() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/modules");
        byte[] jar = Files.readAllBytes(TestHost.bundle("fixture-hello-v1"));
        browser.executeScript("""
                const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], 'hello.jar', {type: 'application/java-archive'}));
                document.querySelector('form.dropzone').dispatchEvent(
                    new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
                """, Base64.getEncoder().encodeToString(jar));
        WebElement notice = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".notice")));
        assertThat(notice.getText()).startsWith("Installed dev.plugboard.fixtures.hello 1.0.0");
        wait.until(ExpectedConditions.attributeToBe(
                By.cssSelector("tr[data-module='dev.plugboard.fixtures.hello'] [data-state]"), "data-state", "ACTIVE"));
        screenshot("modules-installed");

        browser.get(base + "/console/catalogue?kind=tools&q=hello");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-entry='hello']")));
        assertThat(browser.findElement(By.cssSelector("tr[data-entry='hello']")).getText())
                .contains("dev.plugboard.fixtures.hello");

        // bulk stop, and the outcome shown once it has happened
        browser.get(base + "/console/modules");
        browser.findElement(By.cssSelector("input[name=module][value='dev.plugboard.fixtures.hello']")).click();
        browser.findElement(By.cssSelector("button[name=action][value=stop]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"),
                "Stopped dev.plugboard.fixtures.hello."));
        assertThat(browser.findElement(By.cssSelector(
                "tr[data-module='dev.plugboard.fixtures.hello'] [data-state]")).getAttribute("data-state"))
                .isEqualTo("RESOLVED");
        assertThat(host.hasTool("hello")).isFalse();
    }

    @Test
    void aToolRunsFromItsGeneratedFormWithNestedAndOneOfArguments() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/tools/shapes");
        browser.findElement(By.name("/label")).sendKeys("wheel");
        new Select(browser.findElement(By.name("/shape|0/kind"))).selectByVisibleText("circle");
        browser.findElement(By.name("/shape|0/centre/x")).sendKeys("1.5");
        browser.findElement(By.name("/shape|0/centre/y")).sendKeys("-2");
        browser.findElement(By.name("/shape|0/radius")).sendKeys("3");
        browser.findElement(By.name("/tags")).sendKeys("round\nsmall");
        browser.findElement(By.cssSelector("button[name=_mode][value=call]")).click();
        JsonNode structured = structuredResult();
        assertThat(structured).isEqualTo(JSON.readTree("""
                {"label": "wheel", "shape": {"kind": "circle", "centre": {"x": 1.5, "y": -2}, "radius": 3},
                 "units": "cm", "tags": ["round", "small"]}"""));
        screenshot("tool-circle");

        // the other branch of the oneOf, its array of $ref objects given as JSON
        browser.get(base + "/console/tools/shapes");
        browser.findElement(By.name("/label")).sendKeys("triangle");
        browser.findElement(By.cssSelector("input[name='/shape#'][value='1']")).click();
        new Select(browser.findElement(By.name("/shape|1/kind"))).selectByVisibleText("polygon");
        browser.findElement(By.name("/shape|1/corners")).sendKeys("[{\"x\":0,\"y\":0},{\"x\":1,\"y\":0},{\"x\":0,\"y\":1}]");
        new Select(browser.findElement(By.name("/units"))).selectByVisibleText("mm");
        browser.findElement(By.cssSelector("button[name=_mode][value=call]")).click();
        structured = structuredResult();
        assertThat(structured.path("shape").path("corners")).hasSize(3);
        assertThat(structured.path("units").asText()).isEqualTo("mm");

        // a value the schema refuses: the host's own message, shown as the outcome
        browser.get(base + "/console/tools/shapes");
        browser.findElement(By.name("/label")).sendKeys("bad");
        new Select(browser.findElement(By.name("/shape|0/kind"))).selectByVisibleText("circle");
        browser.findElement(By.name("/shape|0/centre/x")).sendKeys("0");
        browser.findElement(By.name("/shape|0/centre/y")).sendKeys("0");
        browser.findElement(By.name("/shape|0/radius")).sendKeys("-1");
        browser.findElement(By.cssSelector("button[name=_mode][value=call]")).click();
        WebElement problem = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-outcome=problem]")));
        assertThat(problem.getText()).contains("shapes").containsIgnoringCase("argument");
    }

    @Test
    void aPluginSettingEditedOnTheConfigurationPageIsAppliedLive() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/config");
        checkPage("config");
        browser.findElement(By.id("c-pid")).sendKeys("dev.plugboard.fixtures.console");
        browser.findElement(By.cssSelector("form[method=get] button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("config-form")));

        // a key the host refuses: its reason shown, nothing applied
        browser.findElement(By.id("c-new-key")).sendKeys("bulk tools!");
        browser.findElement(By.id("c-new-value")).sendKeys("2");
        browser.findElement(By.cssSelector("#config-form button[type=submit]")).click();
        WebElement refusal = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".notice.bad")));
        assertThat(refusal.getText()).startsWith("Not saved:").contains("bulk tools!");
        assertThat(host.hasTool("bulk_0001")).isFalse();

        browser.get(base + "/console/config?pid=dev.plugboard.fixtures.console");
        browser.findElement(By.id("c-new-key")).sendKeys("bulkTools");
        browser.findElement(By.id("c-new-value")).sendKeys("2");
        browser.findElement(By.cssSelector("#config-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice.ok"),
                "Saved and applied the settings of dev.plugboard.fixtures.console."));
        assertThat(browser.findElement(By.id("c-value-bulkTools")).getAttribute("value")).isEqualTo("2");
        checkPage("config-saved");
        // the plugin now has a settings file, so the page lists it
        browser.get(base + "/console/config");
        browser.findElement(By.linkText("dev.plugboard.fixtures.console")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("c-value-bulkTools")));
        Eventually.await("the new setting to be applied", () -> host.hasTool("bulk_0001"));
        browser.get(base + "/console/catalogue?kind=tools&q=bulk");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-entry='bulk_0001']")));

        // emptying the key removes the setting, and the tools go again
        browser.get(base + "/console/config?pid=dev.plugboard.fixtures.console");
        browser.findElement(By.id("c-key-bulkTools")).clear();
        browser.findElement(By.cssSelector("#config-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".notice.ok")));
        assertThat(browser.findElements(By.id("c-value-bulkTools"))).isEmpty();
        Eventually.await("the setting's removal to be applied", () -> !host.hasTool("bulk_0001"));
    }

    @Test
    void theAccessPageShowsTheAuditLogNewestFirst() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/access");
        List<WebElement> rows = browser.findElements(By.cssSelector("#audit tbody tr"));
        assertThat(rows).hasSizeBetween(2, 25);
        // the page asked for the keys, then for the audit log: each request audited before it was served
        assertThat(rows.get(0).getText()).contains("/api/v1/audit").contains("admitted");
        assertThat(rows.get(1).getText()).contains("/api/v1/keys").contains("admitted");
        checkPage("access-audit");
    }

    @Test
    void theOverviewIsPushedLiveAndTheAccessPageShowsWhoIsLoggedIn() throws Exception {
        logIn(adminKey);
        assertThat(browser.findElement(By.id("live")).getAttribute("sse-connect")).isEqualTo("/console/overview/stream");
        // mark the figures shown now: the stream replaces them without a reload
        browser.executeScript("document.querySelector('[data-figure=health]').setAttribute('data-old', 'yes');");
        wait.until(d -> d.findElements(By.cssSelector("[data-figure=health]:not([data-old])")).size() == 1);
        assertThat(browser.getCurrentUrl()).endsWith("/console/overview");

        browser.get(base + "/console/access");
        WebElement mine = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sessions tbody tr")));
        assertThat(mine.getText()).contains("(you)").contains("admin");
        checkPage("access-sessions");
    }

    @Test
    void theLogPageTailsNewRecordsLiveByLevelAsText() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/logs?level=WARNING");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#logs[sse-connect]")));
        String marker = "console-tail-" + System.nanoTime();
        // a record logged in this process after the page was rendered: it can only arrive over the stream
        java.util.logging.Logger.getLogger("dev.plugboard.tests.console").warning(marker + " <b>not bold</b>");
        java.util.logging.Logger.getLogger("dev.plugboard.tests.console").info(marker + " info");
        // it arrives in the open page, pushed by the stream
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//table[@id='logs']//tr[contains(., '" + marker + " <b>not bold</b>')]")));
        assertThat(browser.getCurrentUrl()).endsWith("/console/logs?level=WARNING");
        // the stream carries it, escaped, to this session (read over HTTP with the browser's session cookie)
        String cookie = "pb_console=" + browser.manage().getCookieNamed("pb_console").getValue();
        String stream = browser.findElement(By.id("logs")).getAttribute("sse-connect");
        String event = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return firstEvent(stream, cookie, "event: logs");
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(event).contains(marker + " &lt;b&gt;not bold&lt;/b&gt;").doesNotContain("<b>")
                .doesNotContain(marker + " info");
        browser.get(base + "/console/logs?level=WARNING");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//table[@id='logs']//tr[contains(., '" + marker + " <b>not bold</b>')]")));
        assertThat(row.getAttribute("data-level")).isEqualTo("WARNING");
        assertThat(browser.findElements(By.cssSelector("#logs b"))).isEmpty();
        assertThat(browser.findElements(By.xpath("//table[@id='logs']//tr[contains(., '" + marker + " info')]")))
                .as("below the chosen level").isEmpty();
        checkPage("logs-live");

        new Select(browser.findElement(By.id("log-level"))).selectByVisibleText("INFO");
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("level=INFO"));
        assertThat(browser.findElement(By.id("logs")).getText()).contains(marker + " info");

        // the log tail is the admin API's, for admins only
        HttpResponse<String> anonymous = get("/api/v1/admin/logs", null);
        assertThat(anonymous.statusCode()).isIn(401, 403);
        HttpResponse<String> bad = admin("GET", "/api/v1/admin/logs?level=loud", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("level must be one of").doesNotContain("Exception");
    }

    @Test
    void theUpstreamsPageShowsTheProxysServersAndTheVirtualServers() throws Exception {
        Upstreams.writeServers(root, Upstreams.find().stdioEntry("everything", ""),
                "\"broken\": {\"command\": \"" + root.resolve("no-such-command") + "\"}");
        Upstreams.write(root, "virtual-servers.json", "{\"demo\": {\"tools\": [\"shapes\"]}, \"bad\": {\"tools\": 3}}");
        HttpResponse<String> installed = admin("POST", "/api/v1/modules",
                Files.readAllBytes(TestHost.bundle("plugboard-proxy")));
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        String module = "/api/v1/modules/" + JSON.readTree(installed.body()).get("name").asText();
        try {
            Eventually.await("the upstream's tools", () -> host.hasTool("everything__echo"));
            logIn(adminKey);
            browser.get(base + "/console/upstreams");
            WebElement everything = browser.findElement(By.cssSelector("tr[data-upstream=everything]"));
            assertThat(everything.getText()).contains("connected").contains("stdio").contains("CLOSED");
            assertThat(browser.findElement(By.cssSelector("tr[data-upstream=broken]")).getText()).isNotBlank();
            assertThat(browser.findElement(By.cssSelector("tr[data-server=demo]")).getText()).contains("serving")
                    .contains("/servers/demo/mcp");
            assertThat(browser.findElement(By.cssSelector("tr[data-server=bad]")).getText()).contains("invalid");
            checkPage("upstreams-connected");
            // the upstream's tools, through the catalogue
            browser.findElement(By.cssSelector("tr[data-upstream=everything] a")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-entry='everything__echo']")));
        } finally {
            admin("DELETE", module, null);
            Files.deleteIfExists(root.resolve("config/mcp-servers.json"));
            Files.deleteIfExists(root.resolve("config/virtual-servers.json"));
        }
    }

    @Test
    void theRouterPageShowsTiersSpendAndDecisionsAndSaysWhenTheRouterIsOff() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/router");
        assertThat(browser.findElements(By.cssSelector("[data-router=absent]"))).hasSize(1);
        HttpResponse<String> installed = admin("POST", "/api/v1/modules",
                Files.readAllBytes(TestHost.bundle("plugboard-router")));
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        String module = "/api/v1/modules/" + JSON.readTree(installed.body()).get("name").asText();
        try (dev.plugboard.router.testing.FakeOpenAi fake = new dev.plugboard.router.testing.FakeOpenAi()) {
            Eventually.await("the router's routes", () -> adminStatus("/v1/models") == 503);
            browser.get(base + "/console/router");
            assertThat(browser.findElement(By.cssSelector("[data-router=off]")).getText()).contains("not configured");
            checkPage("router-off");

            Files.writeString(Files.createDirectories(root.resolve("config")).resolve("router.key"), "sk-local\n");
            Upstreams.write(root, "router.json", """
                    {"providers": {"fake": {"baseUrl": "%s", "apiKey": "${file:router.key}"}},
                     "models": {"small": {"provider": "fake", "model": "tiny-1", "inputPerMillion": 1, "outputPerMillion": 2}},
                     "tiers": {"L0": {"models": ["small"]}}}""".formatted(fake.baseUrl()));
            Eventually.await("the router serving", () -> adminStatus("/v1/models") == 200);
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + "/v1/chat/completions")).header("Authorization", "Bearer " + adminKey)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

            browser.get(base + "/console/router");
            assertThat(browser.findElement(By.cssSelector("tr[data-tier=L0]")).getText()).contains("small");
            WebElement decision = browser.findElement(By.cssSelector("#decisions tbody tr"));
            assertThat(decision.getText()).contains("L0").contains("small").contains("default tier L0");
            assertThat(browser.findElement(By.cssSelector("[data-figure=spend]")).getText()).isNotEqualTo("$0.000000");
            assertThat(browser.findElement(By.cssSelector("[data-figure=calls]")).getText()).isEqualTo("1");
            checkPage("router-serving");
        } finally {
            admin("DELETE", module, null);
            Files.deleteIfExists(root.resolve("config/router.json"));
        }
    }

    @Test
    void aSlowToolStartedAsATaskIsListedAndCancelled() throws Exception {
        // the essentials' countdown runs as a task where the client asks for one
        HttpResponse<String> installed = admin("POST", "/api/v1/modules",
                Files.readAllBytes(TestHost.bundle("plugboard-essentials")));
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        String module = "/api/v1/modules/" + JSON.readTree(installed.body()).get("name").asText();
        try {
            Eventually.await("the countdown tool", () -> host.hasTool("countdown"));
            logIn(adminKey);
            browser.get(base + "/console/tools/countdown");
            browser.findElement(By.name("/seconds")).sendKeys("120");
            browser.findElement(By.cssSelector("button[name=_mode][value=task]")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-task-status]")));
            String id = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
            assertThat(browser.findElement(By.cssSelector("[data-task-status]")).getAttribute("data-task-status"))
                    .isEqualTo("working");
            checkPage("task-working");

            browser.get(base + "/console/tasks?status=working");
            WebElement row = browser.findElement(By.linkText(id)).findElement(By.xpath("./ancestor::tr"));
            assertThat(row.getText()).contains("countdown").contains("working");
            checkPage("tasks-working");

            browser.findElement(By.linkText(id)).click();
            browser.findElement(By.cssSelector("#task form button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"),
                    "Cancelled task " + id + "."));
            wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-task-status]"), "data-task-status",
                    "cancelled"));
            assertThat(browser.findElements(By.cssSelector("#task form"))).isEmpty();

            browser.get(base + "/console/tasks?status=cancelled");
            assertThat(browser.findElement(By.linkText(id)).findElement(By.xpath("./ancestor::tr")).getText())
                    .contains("cancelled");
        } finally {
            // leave the module absent, as the other tests expect it
            admin("DELETE", module, null);
        }
    }

    @Test
    void aKeyRestrictedToSomeToolsSeesOnlyThose() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/access");
        browser.findElement(By.id("k-name")).sendKeys("only-shapes");
        new Select(browser.findElement(By.id("k-role"))).selectByValue("user");
        browser.findElement(By.id("k-tools")).sendKeys("shapes");
        browser.findElement(By.cssSelector("form[action='/console/access/keys'] button")).click();
        String key = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-key"))).getAttribute("value");
        assertThat(key).startsWith("pbk_");
        checkPage("access-created");
        assertThat(browser.findElements(By.cssSelector("tr[data-key='only-shapes']"))).hasSize(1);

        browser.manage().deleteAllCookies();
        logIn(key);
        assertThat(browser.findElements(By.linkText("Modules"))).isEmpty();
        assertThat(browser.findElements(By.linkText("Access"))).isEmpty();
        browser.get(base + "/console/catalogue");
        List<String> names = browser.findElements(By.cssSelector("tr[data-entry]")).stream()
                .map(e -> e.getAttribute("data-entry")).toList();
        assertThat(names).containsExactly("shapes");
        browser.get(base + "/console/tools/xss_probe");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Refused");
        assertThat(browser.findElements(By.id("tester"))).isEmpty();
        browser.get(base + "/console/modules");
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("may not administer modules");
    }

    @Test
    void markupInADescriptionAndAResultIsShownAsText() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/catalogue?kind=tools&q=xss_probe");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-entry='xss_probe']")));
        assertThat(row.getText()).contains("<script>window.pwned = true</script>");
        browser.get(base + "/console/tools/xss_probe");
        assertThat(browser.findElement(By.id("description")).getText()).contains("<img src=x onerror=");
        browser.findElement(By.cssSelector("button[name=_mode][value=call]")).click();
        WebElement text = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("pre.text")));
        assertThat(text.getText()).startsWith("<script>window.pwned = true</script>");
        assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("main script, main img[src=x]"))).isEmpty();
        screenshot("xss-as-text");
    }

    @Test
    void aPromptArgumentCompletesWhileTypingAndThePromptRendersItsMessages() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/catalogue?kind=prompts");
        browser.findElement(By.linkText("paint")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("render")));
        browser.findElement(By.id("arg-colour")).sendKeys("i");
        wait.until(d -> suggestions("arg-colour").equals(List.of("indigo", "ivory")));
        browser.findElement(By.id("arg-colour")).sendKeys("n");
        wait.until(d -> suggestions("arg-colour").equals(List.of("indigo")));
        screenshot("prompt-completion");
        browser.findElement(By.id("arg-colour")).sendKeys("digo");
        browser.findElement(By.id("arg-wall")).sendKeys("north");
        browser.findElement(By.cssSelector("#render button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rendered [data-outcome=ok]")));
        assertThat(browser.findElement(By.cssSelector("#rendered li[data-role=user]")).getText())
                .contains("Paint the north wall indigo.");
        WebElement image = browser.findElement(By.cssSelector("#rendered li[data-role=assistant] img[data-content=image]"));
        wait.until(d -> Long.valueOf(24).equals(browser.executeScript("return arguments[0].naturalWidth", image)));
        checkPage("prompt-rendered");

        // a required argument left out: the host's reason, shown where the messages would be
        browser.get(base + "/console/prompts/paint");
        browser.findElement(By.id("arg-colour")).sendKeys("red");
        browser.findElement(By.cssSelector("#render button[type=submit]")).click();
        WebElement problem = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#rendered [data-outcome=problem]")));
        assertThat(problem.getText()).contains("wall");
    }

    @Test
    void resourcesAreReadAndShownByTypeAndATemplateVariableCompletes() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/catalogue?kind=resources");
        browser.findElement(By.linkText("console://notes/readme")).click();
        browser.findElement(By.cssSelector("#read button[type=submit]")).click();
        WebElement text = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#contents pre[data-content=text]")));
        assertThat(text.getText()).startsWith("Notes for the console's tests.")
                .contains("<script>window.pwned = true</script>");
        assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
        checkPage("resource-read");

        browser.get(base + "/console/catalogue?kind=resources");
        browser.findElement(By.linkText("console://images/squares.png")).click();
        browser.findElement(By.cssSelector("#read button[type=submit]")).click();
        WebElement image = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#contents img[data-content=image]")));
        wait.until(d -> Long.valueOf(24).equals(browser.executeScript("return arguments[0].naturalWidth", image)));

        browser.get(base + "/console/catalogue?kind=templates");
        browser.findElement(By.linkText("console://colours/{name}")).click();
        browser.findElement(By.id("arg-name")).sendKeys("gr");
        wait.until(d -> suggestions("arg-name").equals(List.of("green")));
        browser.findElement(By.id("arg-name")).sendKeys("een");
        browser.findElement(By.cssSelector("#read button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#contents pre[data-content=text]"),
                "The colour green."));
        assertThat(browser.findElement(By.cssSelector("#contents [data-outcome=ok]")).getText())
                .contains("console://colours/green");
        checkPage("template-read");

        // an unknown URI: the host's refusal
        browser.get(base + "/console/resources?uri=" + URLEncoder.encode("console://nothing/here", StandardCharsets.UTF_8) + "&read=1");
        assertThat(browser.findElement(By.cssSelector("#contents [data-outcome=problem]")).getText()).isNotBlank();
    }

    @Test
    void aModuleIsInstalledFromAnAllowedUrlAndAUrlOutsideTheAllowListIsRefused() throws Exception {
        logIn(adminKey);
        browser.get(base + "/console/modules");
        browser.findElement(By.id("install-url-field")).sendKeys(jarUrl("elsewhere", "fixture-greeter.jar"));
        browser.findElement(By.cssSelector("#install-url button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice.bad"),
                "not under one of the allowed prefixes"));
        assertThat(browser.findElements(By.cssSelector("tr[data-module='com.example.greeter']"))).isEmpty();
        checkPage("modules-url-refused");

        try {
            browser.findElement(By.id("install-url-field")).sendKeys(jarUrl("allowed", "fixture-greeter.jar"));
            browser.findElement(By.cssSelector("#install-url button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice.ok"),
                    "Installed com.example.greeter"));
            assertThat(browser.findElement(By.cssSelector("tr[data-module='com.example.greeter'] [data-state]"))
                    .getAttribute("data-state")).isEqualTo("ACTIVE");
            assertThat(host.hasTool("greet")).isTrue();
            checkPage("modules-url-installed");
        } finally {
            admin("DELETE", "/api/v1/modules/com.example.greeter", null);
        }
    }

    @Test
    void aStateChangingRequestWithoutTheCsrfTokenIsRefused() throws Exception {
        logIn(adminKey);
        Cookie session = browser.manage().getCookieNamed("pb_console");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/console");
        String cookie = "pb_console=" + session.getValue();
        String csrf = browser.findElement(By.cssSelector("meta[name=csrf-token]")).getAttribute("content");

        HttpResponse<String> noToken = post("/console/modules/actions", cookie, "action=stop&module=dev.plugboard.console");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF token");
        HttpResponse<String> wrongToken = post("/console/modules/actions", cookie,
                "action=stop&module=dev.plugboard.console&csrf=" + csrf.substring(1));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        HttpResponse<String> noSession = post("/console/modules/actions", null,
                "action=stop&module=dev.plugboard.console&csrf=" + csrf);
        assertThat(noSession.statusCode()).isEqualTo(401);
        HttpResponse<String> otherAction = post("/console/access/keys", cookie, "name=sneaky&role=admin");
        assertThat(otherAction.statusCode()).isEqualTo(403);
        assertThat(get("/console/overview", cookie).statusCode()).isEqualTo(200);
        assertThat(host.report("plugboard-console.jar").orElseThrow().state()).isEqualTo("ACTIVE");

        // the same request with the token goes through (and the key it asked for is made)
        HttpResponse<String> withToken = post("/console/access/keys", cookie, "name=allowed&role=user&csrf=" + csrf);
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.body()).contains("Created key");

        HttpResponse<String> page = get("/console/overview", cookie);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void theLoginCookieAndFormRefuseAForeignOrBadLogin() throws Exception {
        HttpResponse<String> form = get("/console/login", null);
        String loginCookie = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(
                "pb_console_login=")).findFirst().orElseThrow();
        assertThat(loginCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console");
        String token = field(form.body(), "csrf");
        String cookie = loginCookie.substring(0, loginCookie.indexOf(';'));
        assertThat(post("/console/login", cookie, "key=" + adminKey).statusCode()).as("no form token").isEqualTo(403);
        assertThat(post("/console/login", null, "key=" + adminKey + "&csrf=" + token).statusCode())
                .as("no login cookie").isEqualTo(403);
        HttpResponse<String> wrongKey = post("/console/login", cookie, "key=pbk_nothing_here&csrf=" + token);
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(wrongKey.body()).contains("did not accept");
        HttpResponse<String> ok = post("/console/login", cookie, "key=" + adminKey + "&csrf=" + token);
        assertThat(ok.statusCode()).isEqualTo(303);
        String sessionCookie = ok.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("pb_console="))
                .findFirst().orElseThrow();
        assertThat(sessionCookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(adminKey);
    }

    private void logIn(String key) {
        browser.get(base + "/console/login");
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        try {
            wait.until(ExpectedConditions.urlContains("/console/overview"));
        } catch (org.openqa.selenium.TimeoutException e) {
            String page = browser.getPageSource();
            throw new AssertionError("not logged in; the page: " + page.substring(0, Math.min(page.length(), 1500))
                    + "; cookies: " + browser.manage().getCookies(), e);
        }
    }

    /** The suggestions the argument's datalist holds now. */
    private List<String> suggestions(String argumentId) {
        // read in one script: htmx may swap the datalist between two WebDriver calls
        Object values = browser.executeScript("return Array.from(document.querySelectorAll(arguments[0]),"
                + " o => o.value)", "#" + argumentId + "-options option");
        return ((List<?>) values).stream().map(String::valueOf).toList();
    }

    private String jarUrl(String folder, String file) {
        return "http://127.0.0.1:" + jars.getAddress().getPort() + "/" + folder + "/" + file;
    }

    private JsonNode structuredResult() throws IOException {
        WebElement pre = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("pre[data-structured]")));
        assertThat(browser.findElements(By.cssSelector("[data-outcome=ok]"))).hasSize(1);
        return JSON.readTree(pre.getText());
    }

    /** Runs axe-core on the page (failing on any violation) and keeps a screenshot. */
    private void checkPage(String name) throws IOException {
        screenshot(name);
        JavascriptExecutor js = browser;
        js.executeScript(axe);
        Object violations = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document).then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help,"
                + " nodes: v.nodes.map(n => n.html)})))), e => done('axe failed: ' + e));");
        assertThat(JSON.readTree(String.valueOf(violations))).as("axe violations on " + name + ": " + violations)
                .isEmpty();
        List<String> blocked = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy") || m.contains("Refused"))
                .toList();
        assertThat(blocked).as("what the browser refused on " + name).isEmpty();
    }

    private void screenshot(String name) throws IOException {
        Path folder = Files.createDirectories(Path.of(System.getProperty("plugboard.test.screenshots",
                "target/console-screenshots")));
        Files.write(folder.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("field " + name).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request to the host's admin API with the admin key; a body is sent as a jar. */
    private HttpResponse<String> admin(String method, String path, byte[] jar) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + adminKey)
                .method(method, jar == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(jar));
        if (jar != null) {
            request.header("Content-Type", "application/java-archive");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String form) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads a console event stream until an event of the kind wanted arrives, and answers that event. */
    private String firstEvent(String path, String cookie, String kind) throws Exception {
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + path)).header("Cookie", cookie).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            StringBuilder event = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isEmpty()) {
                    event.append(line).append('\n');
                } else if (event.indexOf(kind) >= 0) {
                    return event.toString();
                } else {
                    event.setLength(0);
                }
            }
        }
        throw new AssertionError("the stream ended without " + kind);
    }

    private int adminStatus(String path) {
        try {
            return admin("GET", path, null).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private int status(String path) {
        try {
            return get(path, null).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
