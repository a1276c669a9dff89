package dev.plugboard.host.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.host.engine.EngineFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Over stdio, a result that cannot be written as JSON is answered with -32603, and the server reads on. */
@Timeout(30)
class StdioResultsTest {

    /** A tool whose result is nested deeper than JSON may be written. */
    public static final class DeepTools {
        @Tool(description = "maps nested deep")
        public Map<String, Object> deep(@Param(description = "levels") int depth) {
            Map<String, Object> root = new HashMap<>();
            Map<String, Object> current = root;
            for (int i = 1; i < depth; i++) {
                Map<String, Object> next = new HashMap<>();
                current.put("d", next);
                current = next;
            }
            return root;
        }
    }

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(10));
    private final OutputStream toServer;
    private final BufferedReader replies;
    private final Thread server;

    StdioResultsTest() throws IOException {
        fixture.register(1, new DeepTools());
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        toServer = Channels.newOutputStream(in.sink());
        replies = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8));
        StdioTransport transport = new StdioTransport(fixture.engine, fixture.codec, Channels.newInputStream(in.source()),
                Channels.newOutputStream(out.sink()), 1 << 20);
        server = Thread.ofVirtual().start(() -> {
            try {
                transport.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        toServer.close();
        server.join(10_000);
        fixture.close();
    }

    private JsonNode exchange(String line) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
        String reply = replies.readLine();
        assertThat(reply).isNotNull();
        return fixture.codec.mapper().readTree(reply);
    }

    @Test
    void anUnencodableResultIsAnInternalErrorAndTheServerReadsOn() throws IOException {
        exchange("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"pipe\",\"version\":\"1\"}}}");
        JsonNode error = exchange("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"deep\","
                + "\"arguments\":{\"depth\":1000}}}");
        assertThat(error.get("id").asInt()).isEqualTo(5);
        assertThat(error.at("/error/code").asInt()).isEqualTo(-32603);
        assertThat(error.at("/error/message").asText()).contains("nested too deeply").doesNotContain("Exception");
        JsonNode fine = exchange("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"deep\","
                + "\"arguments\":{\"depth\":3}}}");
        assertThat(fine.at("/result/structuredContent/d/d").isObject()).isTrue();
    }
}
