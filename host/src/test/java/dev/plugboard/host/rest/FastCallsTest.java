package dev.plugboard.host.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FastCallsTest {

    @Test
    void takesOnlyPlainCallPaths() {
        assertThat(FastCalls.toolName("/api/v1/tools/echo/call")).isEqualTo("echo");
        assertThat(FastCalls.toolName("/api/v1/tools/a.b-c_d/call")).isEqualTo("a.b-c_d");
        assertThat(FastCalls.toolName("/api/v1/tools//call")).isNull();
        assertThat(FastCalls.toolName("/api/v1/tools/e%63ho/call")).isNull();
        assertThat(FastCalls.toolName("/api/v1/tools/a/b/call")).isNull();
        assertThat(FastCalls.toolName("/api/v1/tools/echo")).isNull();
        assertThat(FastCalls.toolName("/api/v1/tools/" + "x".repeat(129) + "/call")).isNull();
    }

    @Test
    void takesOnlyRequestsThatJerseyWouldAnswerInJson() {
        assertThat(FastCalls.prefersJson(null)).isTrue();
        assertThat(FastCalls.prefersJson("application/json")).isTrue();
        assertThat(FastCalls.prefersJson("*/*")).isTrue();
        assertThat(FastCalls.prefersJson("application/json, text/event-stream")).isTrue();
        assertThat(FastCalls.prefersJson("text/event-stream")).isFalse();
        assertThat(FastCalls.prefersJson("text/event-stream, application/json;q=0.5")).isFalse();
        assertThat(FastCalls.prefersJson("application/json;q=0")).isFalse();
        assertThat(FastCalls.prefersJson("image/png")).isFalse();
        assertThat(FastCalls.prefersJson("application/json;q=abc")).isFalse();
    }
}
