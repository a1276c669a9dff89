package dev.plugboard.plugins.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.upstream.UpstreamTarget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServersFileTest {

    private static final Path FOLDER = Path.of("/etc/plugboard");

    private static ServersFile.Parsed parse(String json) {
        return ServersFile.parse(json.getBytes(StandardCharsets.UTF_8), new ObjectMapper(), FOLDER);
    }

    @Test
    void aDesktopClientsBlockReadsAsItIs() {
        ServersFile.Parsed p = parse("""
                {"mcpServers": {
                  "files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"],
                            "env": {"DEBUG": "1"}},
                  "remote": {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer t"}}
                }}""");
        assertThat(p.problems()).isEmpty();
        assertThat(p.warnings()).isEmpty();
        assertThat(p.separator()).isEqualTo("__");
        UpstreamSettings files = p.upstreams().get("files");
        assertThat(files.target()).isEqualTo(new UpstreamTarget.Stdio("npx",
                List.of("-y", "@modelcontextprotocol/server-filesystem", "/tmp"), Map.of("DEBUG", "1"), null));
        assertThat(files.prefix()).isEqualTo("files");
        assertThat(files.enabled()).isTrue();
        assertThat(files.callTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(files.federated("__", "read_file")).isEqualTo("files__read_file");
        assertThat(p.upstreams().get("remote").target()).isEqualTo(new UpstreamTarget.Http(
                URI.create("https://mcp.example.com/mcp"), Map.of("Authorization", "Bearer t")));
        assertThat(p.upstreams().keySet()).containsExactly("files", "remote");
    }

    @Test
    void plugboardsOwnKeysAreRead() {
        ServersFile.Parsed p = parse("""
                {"plugboard": {"separator": "."},
                 "mcpServers": {"a": {"command": "x", "prefix": "alpha", "include": ["get_*"], "exclude": ["get_secret"],
                   "enabled": false, "cwd": "work", "connectTimeoutSeconds": 5, "callTimeoutSeconds": 0.25,
                   "breaker": {"failureRateThreshold": 20, "openSeconds": 2, "minimumCalls": 3, "windowSize": 6,
                               "halfOpenCalls": 1, "slowCallSeconds": 1, "slowCallRateThreshold": 50},
                   "retry": {"maxAttempts": 5, "waitMillis": 10}, "bulkhead": {"maxConcurrentCalls": 4}}}}""");
        assertThat(p.problems()).isEmpty();
        UpstreamSettings a = p.upstreams().get("a");
        assertThat(p.separator()).isEqualTo(".");
        assertThat(a.federated(".", "get_x")).isEqualTo("alpha.get_x");
        assertThat(a.enabled()).isFalse();
        assertThat(((UpstreamTarget.Stdio) a.target()).workingDirectory()).isEqualTo(FOLDER.resolve("work"));
        assertThat(a.callTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(a.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.breaker()).isEqualTo(new UpstreamSettings.Breaker(20, 50, Duration.ofSeconds(1), 6, 3,
                Duration.ofSeconds(2), 1));
        assertThat(a.retry()).isEqualTo(new UpstreamSettings.Retry(5, Duration.ofMillis(10)));
        assertThat(a.maxConcurrentCalls()).isEqualTo(4);
        assertThat(a.offers("get_weather")).isTrue();
        assertThat(a.offers("get_secret")).isFalse();
        assertThat(a.offers("set_weather")).isFalse();
    }

    @Test
    void transportsRevisionsPingsAndPerToolBreakersAreRead() {
        ServersFile.Parsed p = parse("""
                {"mcpServers": {
                  "old": {"url": "http://h/sse", "type": "sse", "headers": {"X-Key": "k"}},
                  "new": {"url": "http://h/mcp", "protocolVersion": "2026-07-28", "pingIntervalSeconds": 5,
                          "breaker": {"perTool": true, "minimumCalls": 4},
                          "tools": {"slow": {"breaker": {"slowCallSeconds": 2}}}},
                  "plain": {"url": "http://h/mcp"}
                }}""");
        assertThat(p.problems()).isEmpty();
        assertThat(p.warnings()).isEmpty();
        assertThat(p.upstreams().get("old").target()).isEqualTo(new UpstreamTarget.Sse(URI.create("http://h/sse"),
                Map.of("X-Key", "k")));
        UpstreamSettings fresh = p.upstreams().get("new");
        assertThat(fresh.protocolVersion()).isEqualTo("2026-07-28");
        assertThat(fresh.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(fresh.toolBreaker("any")).isEqualTo(fresh.breaker());
        assertThat(fresh.toolBreaker("slow").slowCall()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fresh.toolBreaker("slow").minimumCalls()).as("inherited from the upstream's").isEqualTo(4);
        UpstreamSettings plain = p.upstreams().get("plain");
        assertThat(plain.protocolVersion()).isNull();
        assertThat(plain.pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(plain.toolBreaker("any")).as("no per-tool breakers unless asked").isNull();
    }

    @Test
    void aBrokenEntryIsReportedByNameAndTheOthersAreRead() {
        ServersFile.Parsed p = parse("""
                {"mcpServers": {
                  "good": {"command": "x"},
                  "no_command": {"args": ["a"]},
                  "both": {"command": "x", "url": "http://h/mcp"},
                  "a__b": {"command": "x"},
                  "badprefix": {"command": "x", "prefix": "p__q"},
                  "ftp": {"url": "ftp://h/mcp"},
                  "old": {"url": "http://h/sse", "type": "sse", "protocolVersion": "2026-07-28"},
                  "future": {"url": "http://h/mcp", "protocolVersion": "2099-01-01"},
                  "numbers": {"command": "x", "args": [1]},
                  "timeout": {"command": "x", "callTimeoutSeconds": -1},
                  "odd": {"command": "x", "color": "blue"}
                }}""");
        assertThat(p.upstreams().keySet()).containsExactly("good", "odd");
        assertThat(p.problems().get("no_command")).contains("\"command\"").contains("\"url\"");
        assertThat(p.problems().get("both")).contains("not both");
        assertThat(p.problems().get("a__b")).contains("separator '__'");
        assertThat(p.problems().get("badprefix")).contains("\"prefix\"");
        assertThat(p.problems().get("ftp")).contains("http or https");
        assertThat(p.problems().get("old")).contains("does not carry protocol version 2026-07-28");
        assertThat(p.problems().get("future")).contains("\"protocolVersion\" must be one of [2026-07-28, 2025-11-25");
        assertThat(p.problems().get("numbers")).contains("\"args\" must be an array of strings");
        assertThat(p.problems().get("timeout")).contains("\"callTimeoutSeconds\" must be a number from");
        assertThat(p.warnings()).containsExactly("Upstream odd: unknown key 'color' is ignored");
    }

    @Test
    void aFileThatIsNotJsonIsOneProblemForTheWholeFile() {
        assertThat(parse("{\"mcpServers\": {").problems()).containsOnlyKeys("");
        assertThat(parse("[]").problems().get("")).contains("JSON object");
        assertThat(parse("{\"mcpServers\": []}").problems().get("")).contains("\"mcpServers\"");
        assertThat(parse("").upstreams()).isEmpty();
        assertThat(parse("").problems()).isEmpty();
    }

    @Test
    void globsMatchWholeNames() {
        assertThat(Glob.matches("*", "anything")).isTrue();
        assertThat(Glob.matches("get_*", "get_")).isTrue();
        assertThat(Glob.matches("get_*", "xget_a")).isFalse();
        assertThat(Glob.matches("a?c", "abc")).isTrue();
        assertThat(Glob.matches("a?c", "ac")).isFalse();
        assertThat(Glob.matches("*.read", "fs.read")).isTrue();
        assertThat(Glob.matches("echo", "echo2")).isFalse();
    }
}
