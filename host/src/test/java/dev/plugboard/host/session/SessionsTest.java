package dev.plugboard.host.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private static final Implementation CLIENT = new Implementation("c", null, "1");
    private Sessions sessions;

    @AfterEach
    void close() {
        sessions.close();
    }

    private Session open(String address) {
        return sessions.open(ProtocolVersion.V2025_11_25, CLIENT, ClientCapabilities.NONE, address);
    }

    private static int code(Runnable r) {
        try {
            r.run();
        } catch (McpException e) {
            return e.code();
        }
        throw new AssertionError("no McpException");
    }

    @Test
    void aFullServerClosesTheLeastRecentlyActiveIdleSession() {
        sessions = new Sessions(Duration.ofHours(1), 2, 10, 4096);
        Session first = open("a");
        Session second = open("b");
        first.touch();
        Session third = open("c");
        assertThat(sessions.find(second.id())).isEmpty();
        assertThat(second.closed()).isTrue();
        assertThat(sessions.find(first.id())).isPresent();
        assertThat(sessions.find(third.id())).isPresent();
    }

    @Test
    void busySessionsAreNeverClosedToMakeRoom() {
        sessions = new Sessions(Duration.ofHours(1), 1, 10, 4096);
        Session busy = open("a");
        busy.attachStream(m -> true);
        assertThatThrownBy(() -> open("b")).isInstanceOfSatisfying(McpException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.SERVER_BUSY);
            assertThat(e.data()).isEqualTo(Map.of("limit", "sessions.max", "retryAfterSeconds", 10));
        });
        assertThat(busy.closed()).isFalse();
    }

    @Test
    void aStreamWithoutAConnectionDoesNotKeepASessionBusy() {
        sessions = new Sessions(Duration.ofHours(1), 1, 10, 4096);
        Session s = open("a");
        AtomicBoolean connected = new AtomicBoolean(true);
        s.attachStream(new MessageSink() {
            @Override
            public boolean send(dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage message) {
                return connected.get();
            }

            @Override
            public boolean connected() {
                return connected.get();
            }
        });
        assertThat(s.busy()).isTrue();
        connected.set(false);
        assertThat(s.busy()).isFalse();
        open("b");
        assertThat(s.closed()).isTrue();
    }

    @Test
    void oneClientMakesRoomAmongItsOwnSessionsOrIsRefused() {
        sessions = new Sessions(Duration.ofHours(1), 100, 2, 4096);
        Session a1 = open("a");
        Session a2 = open("a");
        Session b1 = open("b");
        Session a3 = open("a");
        assertThat(a1.closed()).isTrue();
        assertThat(a2.closed()).isFalse();
        assertThat(b1.closed()).isFalse();
        a2.attachStream(m -> true);
        a3.attachStream(m -> true);
        assertThatThrownBy(() -> open("a")).isInstanceOfSatisfying(McpException.class,
                e -> assertThat(e.data()).isEqualTo(Map.of("limit", "sessions.maxPerClient", "retryAfterSeconds", 10)));
        assertThat(open("b")).isNotNull();
        assertThat(open(null)).as("an unknown address counts only against the server's limit").isNotNull();
    }

    @Test
    void clientDataPastItsBoundIsInvalidParams() {
        sessions = new Sessions(Duration.ofHours(1), 100, 100, 1024);
        ObjectNode caps = JsonNodeFactory.instance.objectNode();
        caps.putObject("experimental").put("pad", "x".repeat(2000));
        assertThat(code(() -> sessions.open(ProtocolVersion.V2025_11_25, CLIENT, new ClientCapabilities(caps), "a")))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        ObjectNode wide = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 500; i++) {
            wide.putArray("k" + i);
        }
        assertThat(code(() -> sessions.open(ProtocolVersion.V2025_11_25, CLIENT, new ClientCapabilities(wide), "a")))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        Implementation longName = new Implementation("n".repeat(2000), null, "1");
        assertThat(code(() -> sessions.open(ProtocolVersion.V2025_11_25, longName, ClientCapabilities.NONE, "a")))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(sessions.size()).isZero();
        assertThat(open("a")).isNotNull();
    }
}
