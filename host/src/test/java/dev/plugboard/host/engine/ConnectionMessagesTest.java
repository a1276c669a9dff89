package dev.plugboard.host.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The messages of a connection door (stdio, a WebSocket), from the connection's side. */
class ConnectionMessagesTest {

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(10));

    @AfterEach
    void stop() {
        fixture.close();
    }

    /**
     * What the session sends while its initialize answer is being written reaches the connection,
     * after the answer: a {@code list_changed} sent in that moment was once dropped, and the client
     * never learnt of the change.
     */
    @Test
    void whatTheSessionSendsWhileItsAnswerIsWrittenFollowsTheAnswer() throws Exception {
        List<JsonRpcMessage> written = new CopyOnWriteArrayList<>();
        AtomicReference<ConnectionMessages> connection = new AtomicReference<>();
        AtomicReference<Thread> notifier = new AtomicReference<>();
        AtomicReference<Boolean> handedOn = new AtomicReference<>();
        MessageSink sink = message -> {
            if (message instanceof JsonRpcResponse && notifier.get() == null) {
                // While the answer is being written, the session sends a notification from another thread.
                Thread t = Thread.ofPlatform().start(() -> handedOn.set(connection.get().session().sendUnprompted(
                        new JsonRpcNotification("notifications/tools/list_changed", null))));
                notifier.set(t);
                awaitBlockedOrEnded(t);
            }
            written.add(message);
            return true;
        };
        connection.set(new ConnectionMessages(fixture.engine, fixture.codec, Door.STDIO, sink, null));
        connection.get().dispatch(connection.get().read(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}").getBytes(StandardCharsets.UTF_8)));
        notifier.get().join(Duration.ofSeconds(10));

        assertThat(handedOn.get()).as("the notification was handed to the connection").isTrue();
        assertThat(written).hasSize(2);
        assertThat(written.get(0)).as("the initialize answer goes first").isInstanceOf(JsonRpcResponse.class);
        assertThat(written.get(1)).isInstanceOfSatisfying(JsonRpcNotification.class,
                n -> assertThat(n.method()).isEqualTo("notifications/tools/list_changed"));
    }

    /** Waits until the thread waits (for the answer to go) or has ended (it sent nowhere). */
    private static void awaitBlockedOrEnded(Thread t) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (t.isAlive() && t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.yield();
        }
        assertThat(System.nanoTime()).as("the notifier waits or has ended within 10 s").isLessThan(deadline);
    }
}
