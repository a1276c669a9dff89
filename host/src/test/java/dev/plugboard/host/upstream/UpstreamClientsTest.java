package dev.plugboard.host.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.upstream.UpstreamClients;
import dev.plugboard.api.upstream.UpstreamException;
import dev.plugboard.api.upstream.UpstreamTarget;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client side over stdio against real processes that are not good MCP servers. */
class UpstreamClientsTest {

    private final UpstreamClientService service = new UpstreamClientService(new JsonRpcCodec(), "test");
    private final UpstreamClients clients = service.getService(null, null);

    private static UpstreamTarget.Stdio shell(String script) {
        return new UpstreamTarget.Stdio("sh", List.of("-c", script), Map.of(), null);
    }

    @Test
    void aServerThatExitsAtOnceSaysWhyWithItsLastErrorLine() {
        assertThatThrownBy(() -> clients.connect(shell("echo 'starting' >&2; echo 'Error: no API key' >&2; exit 3"),
                Duration.ofSeconds(20), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessageEndingWith("its process exited with code 3 (its last error output: Error: no API key)");
    }

    @Test
    void aProgramThatDoesNotExistIsNamedAsSuch() {
        assertThatThrownBy(() -> clients.connect(new UpstreamTarget.Stdio(
                Path.of("/nonexistent/mcp-server").toString(), List.of(), Map.of(), null),
                Duration.ofSeconds(5), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("cannot start /nonexistent/mcp-server: no such program");
    }

    @Test
    void aServerThatWritesSomethingElseThanJsonRpcTimesOutClearly() {
        assertThatThrownBy(() -> clients.connect(shell("echo 'hello, I am not MCP'; echo '{\"odd\": 1}'; sleep 30"),
                Duration.ofMillis(500), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("sh did not answer initialize within 500 ms");
    }

    @Test
    void aServerThatSpeaksAnUnknownRevisionIsRefused() {
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"1999-01-01\","
                + "\"capabilities\":{},\"serverInfo\":{\"name\":\"old\",\"version\":\"1\"}}}";
        assertThatThrownBy(() -> clients.connect(shell("read line; echo '" + answer + "'; sleep 30"),
                Duration.ofSeconds(20), (method, params) -> { }))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("sh speaks protocol version '1999-01-01', which this client does not");
    }
}
