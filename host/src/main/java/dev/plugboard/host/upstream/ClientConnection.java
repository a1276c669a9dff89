package dev.plugboard.host.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.upstream.UpstreamConnection;
import dev.plugboard.api.upstream.UpstreamException;
import dev.plugboard.api.upstream.UpstreamListener;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The client side of one MCP connection, over a {@link Wire}, with the engine's own JSON-RPC codec:
 * the handshake, requests matched to their answers by id, progress routed to the request's context,
 * cancellation sent on, the server's notifications handed to the listener, the server's own requests
 * answered ({@code ping}; anything else is refused), and an expired HTTP session initialised again
 * before the request is sent once more.
 */
final class ClientConnection implements UpstreamConnection {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

    /** The revisions this client accepts from a server, newest first; it asks for the first. */
    static final Set<String> VERSIONS = Set.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    static final String ASKED = "2025-11-25";

    private final String name;
    private final Wire wire;
    private final JsonRpcCodec codec;
    private final ObjectMapper mapper;
    private final UpstreamListener listener;
    private final String clientVersion;
    private final Duration handshakeTimeout;
    private final AtomicLong ids = new AtomicLong();
    private final Map<JsonNode, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<JsonNode, RequestContext> progress = new ConcurrentHashMap<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String protocolVersion;
    private volatile String initializeResult;
    private final Runnable onClose;

    ClientConnection(String name, Wire wire, JsonRpcCodec codec, UpstreamListener listener, String clientVersion,
            Duration handshakeTimeout, Runnable onClose) {
        this.name = name;
        this.wire = wire;
        this.codec = codec;
        this.mapper = codec.mapper();
        this.listener = listener;
        this.clientVersion = clientVersion;
        this.handshakeTimeout = handshakeTimeout;
        this.onClose = onClose;
    }

    /** Opens the wire and runs the handshake. */
    void open() throws UpstreamException, InterruptedException {
        try {
            wire.open(new Wire.Inbound() {
                @Override
                public void received(JsonNode message) {
                    dispatch(message);
                }

                @Override
                public void ended(String reason) {
                    end(reason);
                }
            });
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UpstreamException("cannot start " + name + ": " + (why.contains("error=2")
                    || why.contains("No such file") ? "no such program" : why.contains("error=13")
                    || why.contains("Permission denied") ? "permission denied" : "it could not be run"), e);
        }
        handshake();
    }

    private synchronized void handshake() throws UpstreamException, InterruptedException {
        ObjectNode params = mapper.createObjectNode();
        params.put("protocolVersion", ASKED);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "plugboard-proxy").put("version", clientVersion);
        JsonNode result;
        try {
            result = send("initialize", params, null).get(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UpstreamException u ? u
                    : new UpstreamException("the handshake with " + name + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new UpstreamException(UpstreamException.CONNECTION_FAILED,
                    name + " did not answer initialize within " + handshakeTimeout.toMillis() + " ms");
        }
        String version = result.path("protocolVersion").asText();
        if (!VERSIONS.contains(version)) {
            throw new UpstreamException(UpstreamException.CONNECTION_FAILED,
                    name + " speaks protocol version '" + version + "', which this client does not");
        }
        protocolVersion = version;
        initializeResult = result.toString();
        try {
            wire.send(codec.encode(new JsonRpcNotification("notifications/initialized", null)), false);
        } catch (IOException e) {
            throw new UpstreamException("the handshake with " + name + " failed: " + e.getMessage(), e);
        }
        wire.initialized(version);
    }

    @Override
    public String protocolVersion() {
        return protocolVersion;
    }

    @Override
    public String initializeResult() {
        return initializeResult;
    }

    @Override
    public CompletableFuture<String> request(String method, String params, RequestContext context) {
        JsonNode tree;
        try {
            tree = params == null ? null : mapper.readTree(params);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("params are not valid JSON"));
        }
        if (tree != null && !tree.isObject()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("params must be a JSON object"));
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<JsonNode> sent = send(method, (ObjectNode) tree, context);
        sent.whenComplete((result, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(result.toString());
            }
        });
        answer.whenComplete((r, failure) -> {
            if (answer.isCancelled()) {
                sent.cancel(false);
            }
        });
        return answer;
    }

    private CompletableFuture<JsonNode> send(String method, ObjectNode params, RequestContext context) {
        JsonNode id = LongNode.valueOf(ids.incrementAndGet());
        ObjectNode body = params == null ? null : params.deepCopy();
        if (context != null) {
            body = body == null ? mapper.createObjectNode() : body;
            body.withObject("_meta").set("progressToken", id);
            progress.put(id, context);
        }
        body = dev.plugboard.host.tracing.TraceContext.onto(body, context); // W3C trace context, docs/observability.md
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        pending.put(id, future);
        future.whenComplete((r, failure) -> {
            pending.remove(id);
            progress.remove(id);
            if (future.isCancelled()) {
                cancelled(id);
            }
        });
        if (ended.get()) {
            future.completeExceptionally(new UpstreamException(UpstreamException.CONNECTION_FAILED,
                    "the connection to " + name + " is closed"));
            return future;
        }
        byte[] encoded = codec.encode(new JsonRpcRequest(id, method, body));
        try {
            deliver(encoded, !"initialize".equals(method));
        } catch (IOException e) {
            future.completeExceptionally(new UpstreamException(name + " could not be reached: " + describe(e), e));
        } catch (UpstreamException e) {
            future.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(new UpstreamException(UpstreamException.CONNECTION_FAILED,
                    "interrupted while sending to " + name));
        }
        return future;
    }

    /** Sends, and when an HTTP session expired, initialises a new one and sends once more. */
    private void deliver(byte[] message, boolean mayRenew) throws IOException, UpstreamException, InterruptedException {
        try {
            wire.send(message, true);
        } catch (Wire.SessionExpired expired) {
            if (!mayRenew) {
                throw expired;
            }
            LOG.info(() -> "The session with upstream " + name + " expired; initialising a new one");
            handshake();
            wire.send(message, true);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "the connection was refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "it did not answer in time";
        }
        return e.getMessage() == null ? "the connection failed" : e.getMessage();
    }

    private void cancelled(JsonNode id) {
        if (ended.get()) {
            return;
        }
        ObjectNode params = mapper.createObjectNode();
        params.set("requestId", id);
        params.put("reason", "the client cancelled the call");
        try {
            wire.send(codec.encode(new JsonRpcNotification("notifications/cancelled", params)), false);
        } catch (IOException e) {
            LOG.fine(() -> "Could not tell " + name + " of a cancellation: " + e.getMessage());
        }
    }

    private void dispatch(JsonNode tree) {
        JsonRpcMessage message;
        try {
            message = codec.decode(tree);
        } catch (McpException e) {
            LOG.warning(() -> "Upstream " + name + " sent a message that is not JSON-RPC: " + e.getMessage());
            return;
        }
        switch (message) {
            case JsonRpcResult r -> complete(r.id(), r.result(), null);
            case JsonRpcError e -> complete(e.id(), null, new UpstreamException(e.error().code(), e.error().message()));
            case JsonRpcNotification n -> notified(n);
            case JsonRpcRequest r -> answer(r);
        }
    }

    private void complete(JsonNode id, Object result, UpstreamException error) {
        CompletableFuture<JsonNode> future = pending.get(normalised(id));
        if (future == null) {
            return;
        }
        if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(result instanceof JsonNode node ? node : mapper.valueToTree(result));
        }
    }

    /** Ids are sent as longs; a server may echo them as any integral node. */
    private static JsonNode normalised(JsonNode id) {
        return id != null && id.isIntegralNumber() ? LongNode.valueOf(id.asLong()) : id;
    }

    private void notified(JsonRpcNotification n) {
        JsonNode params = n.params() instanceof JsonNode p ? p : null;
        if ("notifications/progress".equals(n.method()) && params != null) {
            RequestContext context = progress.get(normalised(params.get("progressToken")));
            if (context != null) {
                JsonNode total = params.get("total");
                JsonNode message = params.get("message");
                context.progress(params.path("progress").asDouble(),
                        total == null || !total.isNumber() ? Double.NaN : total.asDouble(),
                        message == null || !message.isTextual() ? null : message.asText());
            }
            return;
        }
        try {
            listener.notified(n.method(), params == null ? null : params.toString());
        } catch (RuntimeException e) {
            LOG.warning(() -> "The listener of upstream " + name + " failed on " + n.method() + ": " + e);
        }
    }

    private void answer(JsonRpcRequest r) {
        JsonRpcMessage reply = "ping".equals(r.method())
                ? new JsonRpcResult(r.id(), mapper.createObjectNode())
                : JsonRpcError.of(r.id(), ErrorCodes.METHOD_NOT_FOUND,
                        "Plugboard's proxy does not forward " + r.method() + " yet", null);
        try {
            wire.send(codec.encode(reply), false);
        } catch (IOException e) {
            LOG.fine(() -> "Could not answer " + name + "'s " + r.method() + ": " + e.getMessage());
        }
    }

    private void end(String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        UpstreamException failure = new UpstreamException(UpstreamException.CONNECTION_FAILED,
                "the connection to " + name + " ended: " + reason);
        pending.values().forEach(f -> f.completeExceptionally(failure));
        onClose.run();
        try {
            listener.closed(reason);
        } catch (RuntimeException e) {
            LOG.warning(() -> "The listener of upstream " + name + " failed on its end: " + e);
        }
    }

    @Override
    public boolean isOpen() {
        return !ended.get() && wire.isOpen();
    }

    @Override
    public void close() {
        if (ended.compareAndSet(false, true)) {
            UpstreamException failure = new UpstreamException(UpstreamException.CONNECTION_FAILED,
                    "the connection to " + name + " was closed");
            pending.values().forEach(f -> f.completeExceptionally(failure));
            onClose.run();
        }
        wire.close();
    }

}
