package dev.plugboard.host.websocket;

import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.graphql.UpgradeGuard;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.security.HttpGate;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.session.Sessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.CloseListener;
import org.glassfish.grizzly.Closeable;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.ICloseType;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.websockets.ClosingFrame;
import org.glassfish.grizzly.websockets.DataFrame;
import org.glassfish.grizzly.websockets.ProtocolHandler;
import org.glassfish.grizzly.websockets.SimpleWebSocket;
import org.glassfish.grizzly.websockets.WebSocket;
import org.glassfish.grizzly.websockets.WebSocketApplication;
import org.glassfish.grizzly.websockets.WebSocketEngine;
import org.glassfish.grizzly.websockets.WebSocketFilter;
import org.glassfish.grizzly.websockets.WebSocketHolder;
import org.glassfish.grizzly.websockets.WebSocketListener;

/**
 * MCP over WebSocket at {@value #PATH}, off unless {@code websocket.enabled}: the subprotocol
 * {@value #SUBPROTOCOL}, one JSON-RPC message per text message, the same engine, sessions and
 * invoke path as the other doors (a connection is one session of the session-based revisions;
 * requests of the stateless revision are answered one by one on it).
 *
 * <p>The handshake passes the same checks as any HTTP request: one well-formed {@code Host} and the
 * DNS-rebinding guard on {@code Host} and {@code Origin} ({@link UpgradeGuard}), then the security
 * layer ({@link HttpGate}) on the upgrade's {@code Authorization} header. An upgrade that fails them
 * is left to the HTTP handler, which answers it as it answers any request (400, 403, 401 or 429).
 * An upgrade that does not offer {@value #SUBPROTOCOL} is refused with 400, one of another WebSocket
 * version with 426, each with a problem document. Once open, a message over
 * the HTTP body limit closes the connection with 1009, a binary message with 1003; the server pings
 * every connection and closes one that sent nothing (not even a pong) for the idle timeout (1001).
 */
public final class McpWebSocketDoor implements AutoCloseable {

    /** Where the door takes upgrades. */
    public static final String PATH = "/mcp/ws";
    /** The subprotocol a client must offer. */
    public static final String SUBPROTOCOL = "mcp";

    private final WebSocketSettings settings;
    private final McpEngine engine;
    private final Sessions sessions;
    private final JsonRpcCodec codec;
    private final HttpGate gate;
    private final long maxMessageBytes;
    private final ScheduledExecutorService timers;
    private final Set<McpConnection> open = ConcurrentHashMap.newKeySet();
    private final Application application = new Application();

    /**
     * @param settings ping interval and idle timeout
     * @param engine answers the messages
     * @param sessions where a connection's session lives
     * @param codec reads and writes messages
     * @param gate the security layer: who a connection acts for, and its rate limit
     * @param maxMessageBytes the largest message accepted (the HTTP door's body limit)
     */
    public McpWebSocketDoor(WebSocketSettings settings, McpEngine engine, Sessions sessions, JsonRpcCodec codec,
            HttpGate gate, long maxMessageBytes) {
        this.settings = settings;
        this.engine = engine;
        this.sessions = sessions;
        this.codec = codec;
        this.gate = gate;
        this.maxMessageBytes = maxMessageBytes;
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("mcp-ws-timer")
                .factory());
    }

    /** The add-on that takes WebSocket upgrades of {@value #PATH} on one listener, behind the guard. */
    public AddOn addOn(UpgradeGuard guard) {
        return new AddOn() {
            @Override
            public void setup(NetworkListener listener, FilterChainBuilder builder) {
                int http = builder.indexOfType(HttpServerFilter.class);
                builder.add(http, new UpgradeFilter(guard));
            }
        };
    }

    /** How many connections are open. */
    public int openConnections() {
        return open.size();
    }

    /** Closes every connection (1001, going away) and stops the timers. */
    @Override
    public void close() {
        open.forEach(c -> c.closeSocket(WebSocket.END_POINT_GOING_DOWN, "the server is shutting down"));
        timers.shutdownNow();
    }

    /** Receives the frames of every connection of this door. */
    private final class Application extends WebSocketApplication {

        @Override
        public List<String> getSupportedProtocols(List<String> requested) {
            return List.of(SUBPROTOCOL);
        }

        @Override
        public void onConnect(WebSocket socket) {
            McpConnection connection = ((Socket) socket).connection;
            open.add(connection);
            long period = settings.pingInterval().toMillis();
            connection.keepAlive(timers.scheduleAtFixedRate(connection::pingOrClose, period, period,
                    TimeUnit.MILLISECONDS));
        }

        @Override
        public void onClose(WebSocket socket, DataFrame frame) {
            McpConnection connection = ((Socket) socket).connection;
            open.remove(connection);
            connection.closed();
        }

        @Override
        public void onMessage(WebSocket socket, String text) {
            ((Socket) socket).connection.received(text);
        }

        @Override
        public void onFragment(WebSocket socket, String fragment, boolean last) {
            ((Socket) socket).connection.receivedFragment(fragment, last);
        }

        @Override
        public void onMessage(WebSocket socket, byte[] bytes) {
            ((Socket) socket).connection.heard();
            socket.close(1003, "binary messages are not supported: send each JSON-RPC message as text");
        }

        @Override
        public void onFragment(WebSocket socket, byte[] fragment, boolean last) {
            onMessage(socket, fragment);
        }

        @Override
        public void onPong(WebSocket socket, byte[] bytes) {
            ((Socket) socket).connection.heard();
        }

        @Override
        public void onPing(WebSocket socket, byte[] bytes) {
            ((Socket) socket).connection.heard();
        }
    }

    /** The Grizzly side of one connection. */
    static final class Socket extends SimpleWebSocket {
        McpConnection connection;

        Socket(ProtocolHandler handler, WebSocketListener... listeners) {
            super(handler, listeners);
        }
    }

    /** Takes the upgrades of {@value #PATH} that pass the guard and the gate and offer the subprotocol. */
    private final class UpgradeFilter extends WebSocketFilter {
        private final UpgradeGuard guard;

        UpgradeFilter(UpgradeGuard guard) {
            // Grizzly's own idle timeout, a backstop behind the door's (which pings first)
            super(settings.idleTimeout().plus(settings.pingInterval()).toSeconds());
            this.guard = guard;
        }

        /**
         * Returns true when the request is not taken (it goes on to the HTTP handler). The close
         * listener API is deprecated in Grizzly 4 without a replacement; its own WebSocket engine
         * hears a connection close the same way.
         */
        @Override
        @SuppressWarnings("deprecation")
        protected boolean doServerUpgrade(FilterChainContext ctx, HttpContent content) throws IOException {
            Connection<?> connection = ctx.getConnection();
            if (WebSocketHolder.getWebSocket(connection) instanceof Socket) {
                return false; // a connection of this door that is closing: what else it sends is dropped
            }
            HttpRequestPacket request = (HttpRequestPacket) content.getHttpHeader();
            if (!PATH.equals(request.getRequestURI()) || !"GET".equals(request.getMethod().getMethodString())) {
                return true;
            }
            MimeHeaders headers = request.getHeaders();
            int hosts = 0;
            for (int i = 0, n = headers.size(); i < n; i++) {
                if (headers.getName(i).equalsIgnoreCase("host")) {
                    hosts++;
                }
            }
            if (!guard.admits(request.getHeader("Host"), hosts, request.getHeader("Origin"))) {
                return true;
            }
            Principal principal = gate.admitUpgrade(request.getHeader("Authorization"));
            if (principal == null) {
                return true;
            }
            if (!offersSubprotocol(request.getHeader("Sec-WebSocket-Protocol"))) {
                refuse(ctx, request, 400, "Bad Request", "the upgrade must offer the WebSocket subprotocol '"
                        + SUBPROTOCOL + "' (Sec-WebSocket-Protocol)");
                return false;
            }
            if (WebSocketEngine.loadHandler(headers) == null) {
                request.getResponse().addHeader("Sec-WebSocket-Version", "13");
                refuse(ctx, request, 426, "Upgrade Required", "only WebSocket version 13 (RFC 6455) is supported");
                return false;
            }
            ProtocolHandler handler = new LimitedFrames(maxMessageBytes);
            handler.setFilterChainContext(ctx);
            handler.setConnection(connection);
            ctx.setMessage(null);
            Socket socket = new Socket(handler, application);
            socket.connection = new McpConnection(socket, principal, request.getHeader("Authorization"),
                    request.getRemoteAddress(), engine, sessions, codec, gate, settings.idleTimeout());
            WebSocketHolder.set(connection, handler, socket).application = application;
            handler.handshake(ctx, application, content);
            connection.addCloseListener((CloseListener<Closeable, ICloseType>) (closeable, type) -> {
                socket.close();
                socket.onClose(new ClosingFrame(WebSocket.END_POINT_GOING_DOWN, "Close detected on connection"));
            });
            socket.onConnect();
            return false;
        }

        /**
         * Answers an upgrade this door takes but cannot accept with a whole problem document and
         * closes the connection once it is written. (Grizzly's own handshake error sends only a status
         * line and headers, framed by nothing, so a client waits for a body until the connection times
         * out.) The detail is fixed text of this class: nothing from the request is echoed. Grizzly's
         * write takes a handler of the raw {@code WriteResult}.
         */
        @SuppressWarnings("rawtypes")
        private static void refuse(FilterChainContext ctx, HttpRequestPacket request, int status, String title,
                String detail) {
            byte[] body = ("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                    + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
            HttpResponsePacket response = request.getResponse();
            response.setStatus(status);
            response.setReasonPhrase(title);
            // a raw header: on the answer to an upgrade, the codec drops the packet's own content type
            response.getHeaders().addValue("Content-Type").setString("application/problem+json");
            response.setContentLength(body.length);
            response.addHeader("Connection", "close");
            Connection<?> connection = ctx.getConnection();
            ctx.write(HttpContent.builder(response).content(Buffers.wrap(ctx.getMemoryManager(), body)).last(true)
                    .build(), new EmptyCompletionHandler<WriteResult>() {
                        @Override
                        public void completed(WriteResult result) {
                            connection.closeSilently();
                        }

                        @Override
                        public void failed(Throwable throwable) {
                            connection.closeSilently();
                        }
                    });
        }

        private static boolean offersSubprotocol(String header) {
            if (header == null) {
                return false;
            }
            for (String offered : header.split(",")) {
                if (offered.trim().equals(SUBPROTOCOL)) {
                    return true;
                }
            }
            return false;
        }
    }
}
