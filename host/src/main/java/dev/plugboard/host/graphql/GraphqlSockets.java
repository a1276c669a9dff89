package dev.plugboard.host.graphql;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ExecutionResult;
import graphql.language.OperationDefinition;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.CloseListener;
import org.glassfish.grizzly.Closeable;
import org.glassfish.grizzly.ICloseType;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.websockets.DataFrame;
import org.glassfish.grizzly.websockets.HandshakeException;
import org.glassfish.grizzly.websockets.ProtocolHandler;
import org.glassfish.grizzly.websockets.SimpleWebSocket;
import org.glassfish.grizzly.websockets.WebSocket;
import org.glassfish.grizzly.websockets.WebSocketApplication;
import org.glassfish.grizzly.websockets.WebSocketEngine;
import org.glassfish.grizzly.websockets.WebSocketFilter;
import org.glassfish.grizzly.websockets.WebSocketHolder;
import org.glassfish.grizzly.websockets.WebSocketListener;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * GraphQL over WebSocket at {@code /graphql} with the {@code graphql-transport-ws} subprotocol
 * (graphql-ws's PROTOCOL.md): {@code connection_init} within a time limit (else 4408), one only
 * (else 4429), nothing before the ack (4401), {@code ping}/{@code pong}, {@code subscribe} with a
 * fresh id (else 4409), {@code next}, {@code error}, {@code complete} both ways, and 4400 for
 * anything else. Queries and mutations run on virtual threads; a subscription is attached before the
 * connection's next message is read, and its next event is requested
 * only when the previous one is written, so a slow reader holds back its own stream and nothing else.
 *
 * <p>The upgrade is taken by a filter of this listener alone (not Grizzly's process-wide engine),
 * and only for requests that pass the server's {@link UpgradeGuard}.
 */
final class GraphqlSockets extends WebSocketApplication {

    static final String SUBPROTOCOL = "graphql-transport-ws";
    private static final Logger LOG = Logger.getLogger(GraphqlSockets.class.getName());

    private final GraphqlService service;
    private final ObjectMapper mapper;
    private final Function<String, Caller> callers;
    private final GraphqlLimits limits;
    private final long initTimeoutMillis;
    private final ScheduledExecutorService timers;

    GraphqlSockets(GraphqlService service, ObjectMapper mapper, Function<String, Caller> callers, GraphqlLimits limits,
            long initTimeoutMillis, ScheduledExecutorService timers) {
        this.service = service;
        this.mapper = mapper;
        this.callers = callers;
        this.limits = limits;
        this.initTimeoutMillis = initTimeoutMillis;
        this.timers = timers;
    }

    /** The add-on that takes WebSocket upgrades of {@code /graphql} on one listener. */
    AddOn addOn(UpgradeGuard guard) {
        return new AddOn() {
            @Override
            public void setup(NetworkListener listener, FilterChainBuilder builder) {
                int http = builder.indexOfType(HttpServerFilter.class);
                builder.add(http, new UpgradeFilter(guard));
            }
        };
    }

    @Override
    public List<String> getSupportedProtocols(List<String> requested) {
        return List.of(SUBPROTOCOL);
    }

    @Override
    public WebSocket createSocket(ProtocolHandler handler, HttpRequestPacket request, WebSocketListener... listeners) {
        return new Socket(handler, request.getHeader("Authorization"), listeners);
    }

    @Override
    public void onConnect(WebSocket socket) {
        Socket s = (Socket) socket;
        s.initTimer = timers.schedule(() -> {
            if (!s.initialised) {
                s.close(4408, "Connection initialisation timeout");
            }
        }, initTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClose(WebSocket socket, DataFrame frame) {
        Socket s = (Socket) socket;
        if (s.initTimer != null) {
            s.initTimer.cancel(false);
        }
        s.operations.values().forEach(Operation::cancel);
        s.operations.clear();
    }

    @Override
    public void onMessage(WebSocket socket, byte[] bytes) {
        socket.close(4400, "Binary messages are not supported");
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
        Socket s = (Socket) socket;
        JsonNode message;
        try {
            message = mapper.readTree(text);
        } catch (JacksonException e) {
            s.close(4400, "Invalid message received: not JSON");
            return;
        }
        if (message == null || !message.isObject() || !message.path("type").isTextual()) {
            s.close(4400, "Invalid message received: no type");
            return;
        }
        switch (message.get("type").asText()) {
            case "connection_init" -> init(s, message);
            case "ping" -> s.sendJson(mapper.createObjectNode().put("type", "pong"));
            case "pong" -> { }
            case "subscribe" -> subscribe(s, message);
            case "complete" -> {
                if (!message.path("id").isTextual()) {
                    s.close(4400, "Invalid message received: complete needs an id");
                    return;
                }
                Operation operation = s.operations.remove(message.get("id").asText());
                if (operation != null) {
                    operation.cancel();
                }
            }
            default -> s.close(4400, "Invalid message received: unknown type");
        }
    }

    private void init(Socket s, JsonNode message) {
        JsonNode payload = message.get("payload");
        if (payload != null && !payload.isNull() && !payload.isObject()) {
            s.close(4400, "Invalid message received: the payload must be an object");
            return;
        }
        synchronized (s) {
            if (s.initReceived) {
                s.close(4429, "Too many initialisation requests");
                return;
            }
            s.initReceived = true;
        }
        // A client that cannot set headers on the upgrade (a browser) sends the credential here.
        JsonNode authorization = payload == null ? null : payload.get("Authorization");
        if (authorization == null && payload != null) {
            authorization = payload.get("authorization");
        }
        String credential = authorization != null && authorization.isTextual() ? authorization.asText()
                : s.upgradeAuthorization;
        s.caller = callers.apply(credential);
        if (s.caller.refusal() != null || s.caller.principal() == null) {
            s.close(4403, "Forbidden");
            return;
        }
        s.initialised = true;
        s.sendJson(mapper.createObjectNode().put("type", "connection_ack"));
    }

    private void subscribe(Socket s, JsonNode message) {
        if (!s.initialised) {
            s.close(4401, "Unauthorized");
            return;
        }
        JsonNode id = message.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            s.close(4400, "Invalid message received: subscribe needs an id");
            return;
        }
        GraphqlRequest request;
        try {
            request = GraphqlRequest.from(message.get("payload"), mapper);
        } catch (GraphqlProblem e) {
            s.close(4400, "Invalid message received: " + e.getMessage());
            return;
        }
        String key = id.asText();
        Operation operation = new Operation(s, key);
        synchronized (s) {
            if (s.operations.containsKey(key)) {
                s.close(4409, "Subscriber for " + shortened(key) + " already exists");
                return;
            }
            if (s.operations.size() >= limits.maxSubscriptionsPerConnection()) {
                s.sendJson(error(key, GraphqlService.problem(ErrorCode.BUSY, "this connection already runs "
                        + limits.maxSubscriptionsPerConnection() + " operations; complete one first")
                        .get("errors")));
                return;
            }
            s.operations.put(key, operation);
        }
        if (GraphqlService.operationOf(request).orElse(null) == OperationDefinition.Operation.SUBSCRIPTION) {
            // Attached before the next message of this connection is read, so a client knows its
            // subscription is live once anything it sends later is answered.
            operation.run(request);
        } else {
            // Queries and mutations (a tool call) may take long: they do not hold up the connection.
            Thread.ofVirtual().name("graphql-ws-", 0).start(() -> operation.run(request));
        }
    }

    private ObjectNode error(String id, Object errors) {
        ObjectNode out = mapper.createObjectNode().put("id", id).put("type", "error");
        out.set("payload", mapper.valueToTree(errors));
        return out;
    }

    private static String shortened(String id) {
        return id.length() > 64 ? id.substring(0, 64) + "…" : id;
    }

    /** One connection's state. */
    private final class Socket extends SimpleWebSocket {
        final String upgradeAuthorization;
        final Map<String, Operation> operations = new ConcurrentHashMap<>();
        volatile boolean initReceived;
        volatile boolean initialised;
        volatile Caller caller;
        volatile ScheduledFuture<?> initTimer;

        Socket(ProtocolHandler handler, String upgradeAuthorization, WebSocketListener... listeners) {
            super(handler, listeners);
            this.upgradeAuthorization = upgradeAuthorization;
        }

        void sendJson(Object message, Runnable written) {
            String text;
            try {
                text = mapper.writeValueAsString(message);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "A GraphQL result could not be written as JSON", e);
                close(1011, "Internal error");
                return;
            }
            if (!isConnected()) {
                return;
            }
            var future = send(text);
            if (written != null) {
                future.addCompletionHandler(new CompletionHandler<>() {
                    @Override
                    public void cancelled() {
                    }

                    @Override
                    public void failed(Throwable throwable) {
                    }

                    @Override
                    public void completed(DataFrame result) {
                        written.run();
                    }

                    @Override
                    public void updated(DataFrame result) {
                    }
                });
            }
        }

        void sendJson(Object message) {
            sendJson(message, null);
        }
    }

    /** One operation of a connection, from subscribe to complete. */
    private final class Operation implements Subscriber<ExecutionResult> {
        private final Socket socket;
        private final String id;
        private volatile Subscription subscription;
        private volatile boolean cancelled;

        Operation(Socket socket, String id) {
            this.socket = socket;
            this.id = id;
        }

        void run(GraphqlRequest request) {
            ExecutionResult result;
            try {
                result = service.execute(request, socket.caller);
            } catch (RuntimeException e) {
                LOG.warning(() -> "A GraphQL operation over WebSocket failed: " + e);
                LOG.log(Level.FINE, "A GraphQL operation over WebSocket failed", e);
                finish(() -> socket.sendJson(error(id, GraphqlService.problem(ErrorCode.INTERNAL, "Internal error")
                        .get("errors"))));
                return;
            }
            if (result.getData() instanceof Publisher<?> publisher && result.getErrors().isEmpty()) {
                @SuppressWarnings("unchecked")
                Publisher<ExecutionResult> events = (Publisher<ExecutionResult>) publisher;
                events.subscribe(this);
            } else if (GraphqlService.refusedBeforeExecution(result)) {
                finish(() -> socket.sendJson(error(id, GraphqlService.errors(result.getErrors()))));
            } else {
                if (!cancelled) {
                    socket.sendJson(next(result));
                }
                finish(() -> socket.sendJson(complete()));
            }
        }

        void cancel() {
            cancelled = true;
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(ExecutionResult event) {
            if (cancelled) {
                return;
            }
            socket.sendJson(next(event), () -> {
                if (!cancelled) {
                    subscription.request(1);
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            Object errors = t instanceof GraphqlProblem p
                    ? List.of(Map.of("message", p.getMessage(), "extensions", p.extensions()))
                    : GraphqlService.problem(ErrorCode.INTERNAL, "Internal error").get("errors");
            if (!(t instanceof GraphqlProblem)) {
                LOG.warning(() -> "A GraphQL subscription failed: " + t);
            }
            finish(() -> socket.sendJson(error(id, errors)));
        }

        @Override
        public void onComplete() {
            finish(() -> socket.sendJson(complete()));
        }

        /** Ends the operation: sends its last message unless the client completed it first. */
        private void finish(Runnable lastMessage) {
            if (socket.operations.remove(id, this) && !cancelled) {
                lastMessage.run();
            }
        }

        private ObjectNode next(ExecutionResult result) {
            ObjectNode out = mapper.createObjectNode().put("id", id).put("type", "next");
            out.set("payload", mapper.valueToTree(GraphqlService.specification(result)));
            return out;
        }

        private ObjectNode complete() {
            return mapper.createObjectNode().put("id", id).put("type", "complete");
        }
    }

    /** Takes the upgrades of {@code /graphql} that pass the guard and offer the subprotocol. */
    private final class UpgradeFilter extends WebSocketFilter {
        private final UpgradeGuard guard;

        UpgradeFilter(UpgradeGuard guard) {
            super(TimeUnit.MINUTES.toSeconds(15));
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
            HttpRequestPacket request = (HttpRequestPacket) content.getHttpHeader();
            if (!GraphqlDoor.PATH.equals(request.getRequestURI()) || !"GET".equals(request.getMethod().getMethodString())) {
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
            if (!offersSubprotocol(request.getHeader("Sec-WebSocket-Protocol"))) {
                throw new HandshakeException(400, "Subprotocol " + SUBPROTOCOL + " is required");
            }
            ProtocolHandler handler = WebSocketEngine.loadHandler(headers);
            if (handler == null) {
                throw new HandshakeException(426, "Unsupported WebSocket version");
            }
            Connection<?> connection = ctx.getConnection();
            handler.setFilterChainContext(ctx);
            handler.setConnection(connection);
            ctx.setMessage(null);
            WebSocket socket = createSocket(handler, request, GraphqlSockets.this);
            WebSocketHolder.set(connection, handler, socket).application = GraphqlSockets.this;
            handler.handshake(ctx, GraphqlSockets.this, content);
            connection.addCloseListener((CloseListener<Closeable, ICloseType>) (closeable, type) -> {
                socket.close();
                socket.onClose(new org.glassfish.grizzly.websockets.ClosingFrame(WebSocket.END_POINT_GOING_DOWN,
                        "Close detected on connection"));
            });
            socket.onConnect();
            return false;
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
