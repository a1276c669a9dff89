package dev.plugboard.host.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestStatesTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final Clock now = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
    private final RequestStates states = new RequestStates(KEY, Duration.ofHours(1), JsonRpcCodec.newMapper(), now);

    @Test
    void aSealedStateOpensToTheSameAnswers() {
        Map<String, JsonNode> answers = Map.of("a", TextNode.valueOf("x"), "b", IntNode.valueOf(2));
        String sealed = states.seal("tools/call", "t", answers);
        assertThat(states.open(sealed, "tools/call", "t")).isEqualTo(answers);
    }

    @Test
    void anyAlterationIsRefused() {
        String sealed = states.seal("tools/call", "t", Map.of("a", TextNode.valueOf("x")));
        char[] chars = sealed.toCharArray();
        chars[3] = chars[3] == 'A' ? 'B' : 'A';
        for (String bad : new String[] {sealed + "-TAMPERED", new String(chars), "garbage", "", sealed.replace(".", "")}) {
            assertThatThrownBy(() -> states.open(bad, "tools/call", "t")).isInstanceOf(McpException.class)
                    .hasMessageContaining("integrity");
        }
    }

    @Test
    void aStateIsBoundToItsRequest() {
        String sealed = states.seal("tools/call", "t", Map.of());
        assertThatThrownBy(() -> states.open(sealed, "tools/call", "other")).hasMessageContaining("another request");
        assertThatThrownBy(() -> states.open(sealed, "prompts/get", "t")).hasMessageContaining("another request");
    }

    @Test
    void aStateSealedWithAnotherKeyOrExpiredIsRefused() {
        String sealed = states.seal("tools/call", "t", Map.of());
        RequestStates otherKey = new RequestStates("another key of thirty-two bytes!".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1), JsonRpcCodec.newMapper(), now);
        assertThatThrownBy(() -> otherKey.open(sealed, "tools/call", "t")).hasMessageContaining("integrity");
        RequestStates later = new RequestStates(KEY, Duration.ofHours(1), JsonRpcCodec.newMapper(),
                Clock.offset(now, Duration.ofHours(2)));
        assertThatThrownBy(() -> later.open(sealed, "tools/call", "t")).hasMessageContaining("expired");
    }
}
