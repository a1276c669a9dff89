package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.stdio.StdioTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A virtual server over stdio ({@code plugboard stdio --server NAME}): the stdio transport on the
 * server's engine shows only the server's selection of the catalogue, as its HTTP endpoint does.
 */
class VirtualServerStdioTest {

    @TempDir
    Path root;

    @Test
    void aVirtualServerOverStdioShowsOnlyItsSelection() throws Exception {
        Upstreams.write(root, "virtual-servers.json", "{\"calc\": {\"tools\": [\"calculate\", \"base64_*\"]}}");
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-essentials")) {
            Eventually.await("the essentials", java.time.Duration.ofSeconds(30), () -> host.hasTool("calculate"));
            assertThat(host.host.virtualServerEngine("nope")).isEmpty();
            assertThat(host.host.virtualServerMissing("nope")).contains("Unknown virtual server: 'nope'");

            Pipe in = Pipe.open();
            Pipe out = Pipe.open();
            StdioTransport transport = new StdioTransport(host.host.virtualServerEngine("calc").orElseThrow(),
                    host.host.codec(), Channels.newInputStream(in.source()), Channels.newOutputStream(out.sink()),
                    1024 * 1024);
            Thread server = Thread.ofPlatform().name("stdio-calc").start(() -> {
                try {
                    transport.run();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            OutputStream toServer = Channels.newOutputStream(in.sink());
            BufferedReader replies = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()),
                    StandardCharsets.UTF_8));
            toServer.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo_upper\","
                    + "\"arguments\":{}}}\n").getBytes(StandardCharsets.UTF_8));
            toServer.flush();
            JsonNode initialized = answer(replies, 1);
            assertThat(initialized.at("/result/serverInfo/name").asText()).isEqualTo("plugboard-calc");
            List<String> tools = new ArrayList<>();
            answer(replies, 2).at("/result/tools").forEach(t -> tools.add(t.path("name").asText()));
            assertThat(tools).contains("calculate").allMatch(n -> n.equals("calculate") || n.startsWith("base64_"));
            assertThat(answer(replies, 3).at("/error/code").asInt()).isEqualTo(-32602);
            toServer.close();
            server.join();
        }
    }

    private final Map<Integer, JsonNode> answers = new java.util.HashMap<>();

    /** The answer with that id: read until it came (requests are answered in any order; notifications skipped). */
    private JsonNode answer(BufferedReader replies, int id) throws Exception {
        for (String line; !answers.containsKey(id) && (line = replies.readLine()) != null;) {
            JsonNode message = McpClient.JSON.readTree(line);
            if (message.has("id")) {
                answers.put(message.path("id").asInt(-1), message);
            }
        }
        if (!answers.containsKey(id)) {
            throw new AssertionError("the transport ended before answer " + id);
        }
        return answers.get(id);
    }
}
