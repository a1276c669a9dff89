package dev.plugboard.host.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.host.engine.Door;
import dev.plugboard.host.engine.RequestObserver.Outcome;
import dev.plugboard.host.protocol.ProtocolVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The request timers: tags bounded whatever names clients send, one timer per combination. */
class RequestMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMeters meters = new RequestMeters(registry, Set.of("echo")::contains);

    @Test
    void knownToolsAreTagsAndTheRestShareOne() {
        for (int i = 0; i < 500; i++) {
            meters.started();
            meters.finished(Door.MCP, ProtocolVersion.V2025_11_25, "tools/call", "made-up-" + i, Outcome.CLIENT_ERROR, 10);
            meters.started();
            meters.finished(Door.REST, ProtocolVersion.V2026_07_28, "made/up-" + i, null, Outcome.CLIENT_ERROR, 10);
        }
        meters.started();
        meters.finished(Door.MCP, ProtocolVersion.V2025_11_25, "tools/call", "echo", Outcome.OK, 1_000_000);
        meters.started();
        meters.finished(Door.MCP, ProtocolVersion.V2025_11_25, "tools/call", "echo", Outcome.OK, 3_000_000);

        assertThat(registry.find(MeterNames.REQUESTS).timers()).hasSize(3);
        assertThat(registry.get(MeterNames.REQUESTS).tags("tool", "_unknown").timer().count()).isEqualTo(500);
        assertThat(registry.get(MeterNames.REQUESTS).tags("method", "_unknown", "tool", "none", "door", "rest")
                .timer().count()).isEqualTo(500);
        var echo = registry.get(MeterNames.REQUESTS).tags("tool", "echo", "door", "mcp", "outcome", "ok",
                "revision", "2025-11-25", "method", "tools/call").timer();
        assertThat(echo.count()).isEqualTo(2);
        assertThat(echo.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(4.0);
        assertThat(meters.inFlight()).isZero();
        assertThat(registry.get(MeterNames.IN_FLIGHT).gauge().value()).isZero();
    }
}
