package dev.plugboard.host.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.upstream.UpstreamClients;
import dev.plugboard.api.upstream.UpstreamConnection;
import dev.plugboard.api.upstream.UpstreamTarget;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.tracing.TraceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request sent upstream while a traced call runs carries its W3C trace context in {@code _meta}. */
class UpstreamTraceTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @TempDir
    Path dir;

    @Test
    void theCallsTraceGoesUpstream() throws Exception {
        Path received = dir.resolve("received.json");
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                + "\"serverInfo\":{\"name\":\"recorder\",\"version\":\"1\"}}}";
        // A real process: answers initialize, then records the next request and answers it.
        String script = "read line; echo '" + init + "'; read initialized; read request; echo \"$request\" > '"
                + received + "'; echo '{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}'; sleep 30";
        UpstreamClientService service = new UpstreamClientService(new JsonRpcCodec(), "test");
        UpstreamClients clients = service.getService(null, null);
        try (UpstreamConnection c = clients.connect(new UpstreamTarget.Stdio("sh", List.of("-c", script), Map.of(),
                null), Duration.ofSeconds(20), (method, params) -> { })) {
            String answer = TraceContext.during(TraceContext.of(PARENT, "v=1").orElseThrow(),
                    () -> c.request("tools/list", "{}", null)).get(20, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo("{}");
        }
        JsonNode sent = new ObjectMapper().readTree(Files.readString(received));
        assertThat(sent.get("method").asText()).isEqualTo("tools/list");
        assertThat(sent.at("/params/_meta/traceparent").asText()).isEqualTo(PARENT);
        assertThat(sent.at("/params/_meta/tracestate").asText()).isEqualTo("v=1");
    }
}
