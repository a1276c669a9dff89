package dev.plugboard.host.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.session.Session;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code notifications/tools/list_changed} is sent only once the change is in the catalogue: a
 * client that lists its tools the moment the notification reaches it sees the change.
 */
class ListChangedOrderTest {

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(30));
    private final ObjectMapper mapper = fixture.codec.mapper();
    private final AtomicInteger ids = new AtomicInteger();

    /** One tool, offered and withdrawn again and again. */
    public static final class Extra {
        @Tool(name = "extra", description = "comes and goes")
        public String extra() {
            return "here";
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aClientListingOnTheNotificationSeesTheChange() throws Exception {
        Session session = fixture.engine.initialize(request("initialize", "{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}")).session();
        // what tools/list showed at the moment each list_changed reached the client's stream
        BlockingQueue<Boolean> listedOnNotice = new LinkedBlockingQueue<>();
        session.attachStream(message -> {
            if (message instanceof JsonRpcNotification n && n.method().equals("notifications/tools/list_changed")) {
                listedOnNotice.add(listsExtra(session));
            }
            return true;
        });
        for (int round = 0; round < 50; round++) {
            Catalog.Registration offered = fixture.register(100 + round, new Extra());
            awaitNotice(listedOnNotice, true, "offered, round " + round);
            offered.close();
            awaitNotice(listedOnNotice, false, "withdrawn, round " + round);
        }
    }

    /**
     * Waits for a notification after which the listing showed the state expected: were one sent
     * before its change, the listing at it would show the state before, and no other would follow.
     */
    private static void awaitNotice(BlockingQueue<Boolean> listedOnNotice, boolean expected, String what)
            throws InterruptedException {
        while (true) {
            Boolean listed = listedOnNotice.poll(10, TimeUnit.SECONDS);
            assertThat(listed).as("a list_changed after which tools/list shows the tool " + what).isNotNull();
            if (listed == expected) {
                return;
            }
        }
    }

    private boolean listsExtra(Session session) {
        try {
            var response = fixture.engine.request(session, request("tools/list", null), MessageSink.NONE)
                    .get(10, TimeUnit.SECONDS);
            JsonNode result = mapper.valueToTree(((JsonRpcResult) response).result());
            return result.path("tools").findValuesAsText("name").contains("extra");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonRpcRequest request(String method, String params) {
        try {
            return new JsonRpcRequest(IntNode.valueOf(ids.incrementAndGet()), method,
                    params == null ? null : mapper.readTree(params));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
