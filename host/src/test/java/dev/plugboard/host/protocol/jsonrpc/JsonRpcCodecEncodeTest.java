package dev.plugboard.host.protocol.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encoding for a peer: bounded in size, and a response that cannot be written becomes a plain error. */
class JsonRpcCodecEncodeTest {

    private final JsonRpcCodec codec = new JsonRpcCodec(JsonRpcCodec.newMapper(), 2048);

    private static JsonNode nested(int depth) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode current = root;
        for (int i = 1; i < depth; i++) {
            current = current.putObject("d");
        }
        return root;
    }

    private JsonNode read(byte[] json) {
        return codec.readTree(json);
    }

    @Test
    void aResponseWithinTheLimitIsWrittenAsIs() {
        byte[] json = codec.encodeForPeer(new JsonRpcResult(IntNode.valueOf(1), Map.of("text", "x".repeat(1000))));
        assertThat(read(json).at("/result/text").asText()).hasSize(1000);
        assertThat(codec.encodeResponse(new JsonRpcResult(IntNode.valueOf(1), Map.of()))).isEqualTo(
                codec.encode(new JsonRpcResult(IntNode.valueOf(1), Map.of())));
    }

    @Test
    void aResponsePastTheLimitBecomesAnErrorNamingTheLimit() {
        JsonRpcResult big = new JsonRpcResult(IntNode.valueOf(7), Map.of("text", "x".repeat(100_000)));
        assertThatThrownBy(() -> codec.encodeResponse(big)).isInstanceOfSatisfying(McpException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.INTERNAL_ERROR));
        JsonNode error = read(codec.encodeForPeer(big));
        assertThat(error.get("id").asInt()).isEqualTo(7);
        assertThat(error.at("/error/code").asInt()).isEqualTo(-32603);
        assertThat(error.at("/error/message").asText()).contains("2048 bytes").contains("mcp.maxResultBytes");
    }

    @Test
    void aResponseNestedTooDeeplyBecomesAPlainError() {
        JsonRpcCodec roomy = new JsonRpcCodec();
        JsonNode error = read(roomy.encodeForPeer(new JsonRpcResult(IntNode.valueOf(3), nested(1000))));
        assertThat(error.get("id").asInt()).isEqualTo(3);
        assertThat(error.at("/error/code").asInt()).isEqualTo(-32603);
        String message = error.at("/error/message").asText();
        assertThat(message).contains("nested too deeply").doesNotContain("Exception").doesNotContain("Stream")
                .doesNotContain("jackson");
    }

    @Test
    void aNotificationThatCannotBeSentIsDropped() {
        JsonRpcNotification huge = new JsonRpcNotification("notifications/message", JsonNodeFactory.instance.objectNode()
                .put("data", "y".repeat(10_000)));
        assertThat(codec.encodeForPeer(huge)).isNull();
        JsonRpcNotification small = new JsonRpcNotification("notifications/message", JsonNodeFactory.instance
                .objectNode().put("data", "y"));
        assertThat(new String(codec.encodeForPeer(small), StandardCharsets.UTF_8)).contains("notifications/message");
    }
}
