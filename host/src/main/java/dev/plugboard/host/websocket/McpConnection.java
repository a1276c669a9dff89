package dev.plugboard.host.websocket;

import dev.plugboard.host.engine.ConnectionMessages;
import dev.plugboard.host.engine.Door;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.security.HttpGate;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.security.Security;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.session.Sessions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.glassfish.grizzly.websockets.WebSocket;

/**
 * One MCP connection over WebSocket: the principal its handshake established, its session (once
 * {@code initialize} is answered; the session ends with the connection), and the messages it
 * receives, taken in order on a virtual thread of its own and dispatched as on stdio
 * ({@link ConnectionMessages}), each request first passing the gate's rate limit. The connection is the session's stream: server-to-client requests and
 * notifications are sent on it as text messages.
 */
final class McpConnection implements MessageSink {

    private static final Logger LOG = Logger.getLogger(McpConnection.class.getName());
    /** Messages received and not yet taken beyond which the client is too fast: the connection closes (1008). */
    private static final int MAX_WAITING = 1024;

    private final WebSocket socket;
    private final Principal principal;
    private final String authorization;
    private final Sessions sessions;
    private final JsonRpcCodec codec;
    private final HttpGate gate;
    private final long idleNanos;
    private final ExecutorService inbox = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("mcp-ws-", 0)
            .factory());
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConnectionMessages messages;
    private final StringBuilder fragments = new StringBuilder();
    private volatile long lastHeard = System.nanoTime();
    private volatile Future<?> keepAlive;

    /** @param authorization the upgrade's {@code Authorization} header (checked again on each request), or null */
    McpConnection(WebSocket socket, Principal principal, String authorization, String clientAddress, McpEngine engine,
            Sessions sessions, JsonRpcCodec codec, HttpGate gate, Duration idleTimeout) {
        this.socket = socket;
        this.principal = principal;
        this.authorization = authorization;
        this.sessions = sessions;
        this.codec = codec;
        this.gate = gate;
        this.idleNanos = idleTimeout.toNanos();
        this.messages = new ConnectionMessages(engine, codec, Door.WEBSOCKET, this, clientAddress);
    }

    // ---- the connection ----

    /** Remembers the timer that pings this connection, to stop it when the connection ends. */
    void keepAlive(Future<?> timer) {
        keepAlive = timer;
    }

    /** Something arrived from the client: it is alive. */
    void heard() {
        lastHeard = System.nanoTime();
    }

    /** Pings the client, or closes a connection that sent nothing for the idle timeout. */
    void pingOrClose() {
        if (System.nanoTime() - lastHeard > idleNanos) {
            closeSocket(WebSocket.END_POINT_GOING_DOWN, "idle timeout: nothing received for "
                    + Duration.ofNanos(idleNanos).toSeconds() + " s");
            return;
        }
        try {
            if (socket.isConnected()) {
                socket.sendPing(new byte[0]);
            }
        } catch (RuntimeException e) {
            LOG.fine(() -> "Pinging a WebSocket failed: " + e); // it is closing
        }
    }

    void closeSocket(int code, String reason) {
        try {
            socket.close(code, reason);
        } catch (RuntimeException e) {
            LOG.fine(() -> "Closing a WebSocket failed: " + e);
        }
    }

    /** The connection ended: its session ends, its stateless requests are cancelled. */
    void closed() {
        Future<?> timer = keepAlive;
        if (timer != null) {
            timer.cancel(false);
        }
        inbox.shutdown();
        messages.cancelAll();
        Session current = messages.session();
        if (current != null) {
            current.detachStream(this);
            // Off the network thread: with a shared store, ending a session is a round trip to it.
            Thread.ofVirtual().name("mcp-ws-close").start(() -> sessions.close(current.id()));
        }
    }

    /** A part of a text message sent in fragments. */
    void receivedFragment(String fragment, boolean last) {
        heard();
        String whole;
        synchronized (fragments) {
            fragments.append(fragment);
            if (!last) {
                return;
            }
            whole = fragments.toString();
            fragments.setLength(0);
        }
        received(whole);
    }

    /** A whole text message: taken in order, on this connection's own thread. */
    void received(String text) {
        heard();
        if (waiting.incrementAndGet() > MAX_WAITING) {
            closeSocket(1008, "too many messages waiting: at most " + MAX_WAITING);
            return;
        }
        try {
            inbox.execute(() -> {
                waiting.decrementAndGet();
                Principal before = Principal.bind(principal);
                try {
                    handle(text.getBytes(StandardCharsets.UTF_8));
                } finally {
                    Principal.restore(before);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.fine("A message arrived on a WebSocket that is closing; it is dropped");
        }
    }

    // ---- messages ----

    private void handle(byte[] bytes) {
        Session current = messages.session();
        if (current != null && current.closed()) {
            closeSocket(WebSocket.END_POINT_GOING_DOWN, "the session ended");
            return;
        }
        JsonRpcMessage message = messages.read(bytes);
        if (message == null) {
            return;
        }
        if (message instanceof JsonRpcRequest r) {
            Security.Refusal limited = gate.takeMessage(principal, authorization);
            if (limited != null && limited.status() == 401) {
                closeSocket(1008, limited.detail());
                return;
            }
            if (limited != null) {
                send(JsonRpcError.of(r.id(), ErrorCodes.RATE_LIMITED, "Too Many Requests: " + limited.detail(),
                        Map.of("retryAfterSeconds", limited.retryAfterSeconds())));
                return;
            }
        }
        messages.dispatch(message);
    }

    // ---- the sink ----

    @Override
    public boolean send(JsonRpcMessage message) {
        byte[] json = codec.encodeForPeer(message);
        if (json == null || !socket.isConnected()) {
            return false;
        }
        try {
            socket.send(new String(json, StandardCharsets.UTF_8));
            return true;
        } catch (RuntimeException e) {
            LOG.fine(() -> "Sending on a WebSocket failed: " + e); // it closed meanwhile
            return false;
        }
    }

    @Override
    public boolean connected() {
        return socket.isConnected();
    }

    @Override
    public void close() {
        closeSocket(WebSocket.NORMAL_CLOSURE, null);
    }
}
