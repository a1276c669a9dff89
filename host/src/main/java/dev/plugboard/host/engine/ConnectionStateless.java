package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The messages of the stateless revision on a connection that is one client (stdio, a WebSocket):
 * each request is answered on its own, a {@code subscriptions/listen} lasts until it is cancelled,
 * and {@code notifications/cancelled} stops the request it names. What is still running when the
 * connection ends is cancelled ({@link #cancelAll}). Thread-safe.
 */
public final class ConnectionStateless {

    private static final Logger LOG = Logger.getLogger(ConnectionStateless.class.getName());

    private final McpEngine engine;
    private final Door door;
    private final Map<JsonNode, Runnable> inFlight = new ConcurrentHashMap<>();

    /**
     * @param engine answers the requests
     * @param door the door they count under
     */
    public ConnectionStateless(McpEngine engine, Door door) {
        this.engine = engine;
        this.door = door;
    }

    /**
     * Handles a message if it belongs to the stateless revision, answering on the sink.
     *
     * @return false when the message is not one (the connection's session handles it)
     */
    public boolean handle(JsonRpcMessage message, MessageSink sink) {
        if (message instanceof JsonRpcRequest r && McpEngine.isStateless(r)) {
            request(r, sink);
            return true;
        }
        if (message instanceof JsonRpcNotification n && McpEngine.declaresStateless(n.params())) {
            if ("notifications/cancelled".equals(n.method()) && n.params() instanceof JsonNode p) {
                Runnable cancel = inFlight.remove(p.path("requestId"));
                if (cancel != null) {
                    cancel.run();
                }
            }
            return true;
        }
        return false;
    }

    private void request(JsonRpcRequest r, MessageSink sink) {
        if ("subscriptions/listen".equals(r.method())) {
            McpEngine.Listening listening = engine.listen(r, sink, null);
            if (listening.refusal() != null) {
                sink.send(listening.refusal());
            } else {
                inFlight.put(r.id(), () -> {
                    try {
                        listening.handle().close();
                    } catch (Exception e) {
                        LOG.log(Level.FINE, "Closing a subscription failed", e);
                    }
                });
            }
            return;
        }
        McpEngine.Pending pending = engine.stateless(r, sink, null, door);
        inFlight.put(r.id(), pending.cancel());
        pending.response().whenComplete((response, failure) -> {
            inFlight.remove(r.id());
            if (failure == null) {
                sink.send(response);
            }
        });
    }

    /** Cancels what is still running: the connection ended. */
    public void cancelAll() {
        inFlight.values().forEach(Runnable::run);
        inFlight.clear();
    }
}
