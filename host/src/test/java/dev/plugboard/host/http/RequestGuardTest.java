package dev.plugboard.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestGuardTest {

    private final RequestGuard loopback = new RequestGuard(true, Set.of(), Set.of("https://app.example.com"));

    @Test
    void loopbackNamesOnAnyPortAreAllowed() {
        assertThat(loopback.refusal("localhost:8080", null)).isEmpty();
        assertThat(loopback.refusal("127.0.0.1", null)).isEmpty();
        assertThat(loopback.refusal("[::1]:9", null)).isEmpty();
    }

    @Test
    void foreignOrMissingHostsAreRefusedWhileOnLoopback() {
        assertThat(loopback.refusal("evil.example.com", null)).get().asString().contains("evil.example.com");
        assertThat(loopback.refusal(null, null)).isPresent();
        assertThat(loopback.refusal("[::1", null)).isPresent();
    }

    @Test
    void originsMustBeLoopbackOrConfigured() {
        assertThat(loopback.refusal("localhost", "http://localhost:6274")).isEmpty();
        assertThat(loopback.refusal("localhost", "https://app.example.com")).isEmpty();
        assertThat(loopback.refusal("localhost", "https://evil.example.com")).get().asString().contains("Origin");
        assertThat(loopback.refusal("localhost", "null")).isPresent();
        assertThat(loopback.refusal("localhost", "file://localhost")).isPresent();
    }

    @Test
    void onAPublicAddressOnlyConfiguredHostsAndOriginsPass() {
        RequestGuard open = new RequestGuard(false, Set.of("mcp.example.com"), Set.of());
        assertThat(open.refusal("mcp.example.com:443", null)).isEmpty();
        assertThat(open.refusal("other.example.com", null)).isPresent();
        assertThat(open.refusal("mcp.example.com", "http://localhost")).isPresent();
        RequestGuard unrestricted = new RequestGuard(false, Set.of(), Set.of());
        assertThat(unrestricted.refusal("anything", null)).isEmpty();
    }

    @Test
    void acceptHeadersMatchWildcardsAndParameters() {
        assertThat(McpHttpHandler.accepts("application/json, text/event-stream", "text/event-stream")).isTrue();
        assertThat(McpHttpHandler.accepts("application/json;q=0.9", "application/json")).isTrue();
        assertThat(McpHttpHandler.accepts("*/*", "application/json")).isTrue();
        assertThat(McpHttpHandler.accepts("text/*", "text/event-stream")).isTrue();
        assertThat(McpHttpHandler.accepts("text/html", "application/json")).isFalse();
        assertThat(McpHttpHandler.accepts(null, "application/json")).isFalse();
        // read in place: case, white space, parameters and empty members as the split-and-trim reading had them
        assertThat(McpHttpHandler.accepts(" Application/JSON ; q=1 ,TEXT/Event-Stream", "text/event-stream")).isTrue();
        assertThat(McpHttpHandler.accepts(",, application/json\t", "application/json")).isTrue();
        assertThat(McpHttpHandler.accepts("application/jsonx, text/event", "application/json")).isFalse();
        assertThat(McpHttpHandler.accepts("application/json", "text/event-stream")).isFalse();
        assertThat(McpHttpHandler.accepts("text/html;type=text/event-stream", "text/event-stream")).isFalse();
        assertThat(McpHttpHandler.accepts("", "application/json")).isFalse();
        assertThat(McpHttpHandler.accepts("application/*", "application/json")).isTrue();
        assertThat(McpHttpHandler.accepts("*/json", "application/json")).isFalse();
    }

    @Test
    void hostValuesMustBeWellFormed() {
        for (String good : new String[] {"localhost", "127.0.0.1:8080", "[::1]", "[::1]:80", "mcp.example.com",
                "a_b-c.example"}) {
            assertThat(RequestGuard.wellFormedHost(good)).as(good).isTrue();
        }
        for (String bad : new String[] {"", "[::1", "[]", "a b", "local%host", "localhost:99999999", "localhost:x",
                ":80", "exa\tmple", "host/path", "[::1]x", "x".repeat(300)}) {
            assertThat(RequestGuard.wellFormedHost(bad)).as(bad).isFalse();
        }
    }
}
