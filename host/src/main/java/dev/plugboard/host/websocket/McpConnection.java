package dev.plugboard.host.websocket;

import dev.plugboard.host.engine.ConnectionStateless;
import dev.plugboard.host.engine.Door;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.security.HttpGate;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.security.Security;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.session.Sessions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.websockets.WebSocket;

/**
 * One MCP connection over WebSocket: the principal its handshake established, its session (once
 * {@code initialize} is answered; the session ends with the connection), and the messages it
 * receives, taken in order on a virtual thread of its own. As on stdio, requests of a session run
 * concurrently (a virtual thread each), notifications and responses are handled in order, requests
 * of the stateless revision are answered one by one, and whatever goes wrong with one message is
 * answered on the connection (a parse error, an invalid request, or an internal error for its id)
 * without closing it. The connection is the session's stream: server-to-client requests and
 * notifications are sent on it as text messages.
 */
final class McpConnection implements MessageSink {

    private static final Logger LOG = Logger.getLogger(McpConnection.class.getName());
    /** Messages received and not yet taken beyond which the client is too fast: the connection closes (1008). */
    private static final int MAX_WAITING = 1024;

    private final WebSocket socket;
    private final Principal principal;
    private final String authorization;
    private final String clientAddress;
    private final McpEngine engine;
    private final Sessions sessions;
    private final JsonRpcCodec codec;
    private final HttpGate gate;
    private final long idleNanos;
    private final ExecutorService inbox = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("mcp-ws-", 0)
            .factory());
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConnectionStateless stateless;
    private final StringBuilder fragments = new StringBuilder();
    private volatile Session session;
    private volatile long lastHeard = System.nanoTime();
    private volatile Future<?> keepAlive;

    /** @param authorization the upgrade's {@code Authorization} header (checked again on each request), or null */
    McpConnection(WebSocket socket, Principal principal, String authorization, String clientAddress, McpEngine engine,
            Sessions sessions, JsonRpcCodec codec, HttpGate gate, Duration idleTimeout) {
        this.socket = socket;
        this.principal = principal;
        this.authorization = authorization;
        this.clientAddress = clientAddress;
        this.engine = engine;
        this.sessions = sessions;
        this.codec = codec;
        this.gate = gate;
        this.idleNanos = idleTimeout.toNanos();
        this.stateless = new ConnectionStateless(engine, Door.WEBSOCKET);
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
        stateless.cancelAll();
        Session current = session;
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
        Session current = session;
        if (current != null && current.closed()) {
            closeSocket(WebSocket.END_POINT_GOING_DOWN, "the session ended");
            return;
        }
        JsonRpcMessage message;
        try {
            message = codec.decode(bytes);
        } catch (McpException e) {
            send(e.toResponse(null));
            return;
        } catch (RuntimeException e) {
            failed("a message that could not be read", e);
            send(JsonRpcError.of(null, ErrorCodes.PARSE_ERROR, "Parse error: the message could not be read", null));
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
        try {
            dispatch(message, current);
        } catch (RuntimeException e) {
            String what = switch (message) {
                case JsonRpcRequest r -> r.method();
                case JsonRpcNotification n -> n.method();
                case JsonRpcResponse r -> "a response";
            };
            failed(what, e);
            if (message instanceof JsonRpcRequest r) {
                send(JsonRpcError.of(r.id(), ErrorCodes.INTERNAL_ERROR, "Internal error", null));
            }
        }
    }

    private void dispatch(JsonRpcMessage message, Session current) {
        if (stateless.handle(message, this)) {
            return;
        }
        switch (message) {
            case JsonRpcRequest r when current == null && "initialize".equals(r.method()) -> {
                McpEngine.Initialized initialized = engine.initialize(r, clientAddress);
                if (initialized.session() != null) {
                    session = initialized.session();
                    // Sent before anything the session sends: nothing else runs on this connection's
                    // thread meanwhile, and the session has no request yet.
                    send(initialized.response());
                    session.attachStream(this);
                } else {
                    send(initialized.response());
                }
            }
            case JsonRpcRequest r when current == null -> send(engine.withoutSession(r));
            case JsonRpcRequest r -> Thread.ofVirtual().name("mcp-ws-" + r.method()).start(Principal.carry(() ->
                    engine.request(current, r, this, Door.WEBSOCKET).whenComplete((response, failure) -> {
                        if (failure == null) {
                            send(response);
                        } else if (!(failure instanceof CancellationException)
                                && !(failure instanceof CompletionException c && c.getCause() instanceof CancellationException)) {
                            failed(r.method(), failure);
                            send(JsonRpcError.of(r.id(), ErrorCodes.INTERNAL_ERROR, "Internal error", null));
                        }
                    })));
            case JsonRpcNotification n -> {
                if (current != null) {
                    engine.notification(current, n);
                }
            }
            case JsonRpcResponse r -> {
                if (current != null) {
                    engine.response(current, r);
                }
            }
        }
    }

    /** One line in the log for a message the door failed on; the stack trace only at FINE. */
    private static void failed(String what, Throwable e) {
        String shown = (what.length() > 100 ? what.substring(0, 100) + "..." : what).codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        LOG.warning(() -> "websocket: handling " + shown + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        LOG.log(Level.FINE, "websocket: stack trace of the failure", e);
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
