package dev.plugboard.host.protocol.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tool result's own tree is the JSON the host's mapper writes for it. */
class CallToolResultTest {

    private final ObjectMapper mapper = new JsonRpcCodec().mapper();

    @Test
    void itsTreeIsWhatTheMapperWrites() {
        JsonNode text = mapper.createObjectNode().put("type", "text").put("text", "hi");
        JsonNode structured = mapper.createObjectNode().put("n", 1);
        for (CallToolResult r : List.of(new CallToolResult(List.of(text), null, null),
                new CallToolResult(List.of(text, text), structured, Boolean.FALSE), CallToolResult.error(text),
                new CallToolResult(List.of(), null, null), new CallToolResult(null, structured, null))) {
            assertThat(r.asTree(mapper.getNodeFactory())).as(r.toString()).isEqualTo(mapper.valueToTree(r));
        }
    }
}
