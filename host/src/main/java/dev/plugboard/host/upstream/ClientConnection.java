package dev.plugboard.host.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.upstream.UpstreamConnection;
import dev.plugboard.api.upstream.UpstreamException;
import dev.plugboard.api.upstream.UpstreamListener;
import dev.plugboard.host.invoke.IoWaits;
import dev.plugboard.host.protocol.InputRequiredSignal;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The client side of one MCP connection, over a {@link Wire}, with the engine's own JSON-RPC codec:
 * the revision's negotiation ({@code server/discover} for the stateless revision, else the
 * {@code initialize} handshake), requests matched to their answers by id, progress and log messages
 * routed to the request's context, what the server asks of the client passed on through that
 * context (and input-required results answered and retried), cancellation sent on, the server's
 * notifications handed to the listener, and an expired HTTP session initialised again before the
 * request is sent once more.
 */
final class ClientConnection implements UpstreamConnection {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

    /** The stateless revision. */
    static final String STATELESS = "2026-07-28";
    /** The revisions this client accepts in an {@code initialize} answer; it asks for the first. */
    static final Set<String> VERSIONS = Set.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    static final String ASKED = "2025-11-25";
    private static final String META = "io.modelcontextprotocol/";
    /** How many input-required rounds one stateless request may take before it is given up. */
    private static final int MAX_ROUNDS = 10;
    /** The stateless revision's error for a protocol version the server does not speak. */
    private static final int UNSUPPORTED_VERSION = -32022;

    private final String name;
    private final Wire wire;
    private final JsonRpcCodec codec;
    private final ObjectMapper mapper;
    private final UpstreamListener listener;
    private final String clientVersion;
    private final Duration handshakeTimeout;
    private final String pinned;
    private final ClientQuestions questions;
    private final AtomicLong ids = new AtomicLong();
    private final Map<JsonNode, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<JsonNode, RequestContext> contexts = new ConcurrentHashMap<>();
    /** Why the connection ended, as its calls are told; null while it is open. */
    private final AtomicReference<String> ended = new AtomicReference<>();
    private volatile boolean stateless;
    private volatile String protocolVersion;
    private volatile String initializeResult;
    private final Runnable onClose;

    /**
     * @param pinned the revision to speak, or null to negotiate
     */
    ClientConnection(String name, Wire wire, JsonRpcCodec codec, UpstreamListener listener, String clientVersion,
            Duration handshakeTimeout, String pinned, Runnable onClose) {
        this.name = name;
        this.wire = wire;
        this.codec = codec;
        this.mapper = codec.mapper();
        this.listener = listener;
        this.clientVersion = clientVersion;
        this.handshakeTimeout = handshakeTimeout;
        this.pinned = pinned;
        this.questions = new ClientQuestions(mapper);
        this.onClose = onClose;
    }

    /** Opens the wire and negotiates the revision. */
    void open() throws UpstreamException, InterruptedException {
        try {
            wire.open(new Wire.Inbound() {
                @Override
                public void received(JsonNode message, JsonNode related) {
                    dispatch(message, related);
                }

                @Override
                public void ended(String reason) {
                    end(reason);
                }

                @Override
                public void failed(JsonNode id, String reason) {
                    complete(id, null, new UpstreamException(UpstreamException.CONNECTION_FAILED,
                            "the answer of " + name + " could not be read: " + reason));
                }

                @Override
                public boolean awaiting(JsonNode id) {
                    return pending.containsKey(normalised(id));
                }
            });
        } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
            throw new UpstreamException("cannot reach " + name + ": " + describe(e), e);
        } catch (IOException e) {
            LOG.fine(() -> "Upstream " + name + " could not be started: " + e);
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UpstreamException("cannot start " + name + ": " + (e instanceof Wire.Failure ? why
                    : why.contains("error=2") || why.contains("No such file") ? "no such program"
                    : why.contains("error=13") || why.contains("Permission denied") ? "permission denied"
                    : "it could not be run"), e);
        }
        if (STATELESS.equals(pinned) || pinned == null && wire.probes()) {
            JsonNode discovered = discover();
            if (discovered != null) {
                stateless = true;
                protocolVersion = STATELESS;
                initializeResult = discovered.toString();
                ObjectNode listen = mapper.createObjectNode();
                listen.putObject("notifications").put("toolsListChanged", true).put("resourcesListChanged", true)
                        .put("promptsListChanged", true);
                envelope(listen, null);
                JsonNode id = LongNode.valueOf(ids.incrementAndGet());
                Wire.Outgoing subscribe = new Wire.Outgoing(codec.encode(new JsonRpcRequest(id, "subscriptions/listen",
                        listen)), id, "subscriptions/listen", null, true);
                if (wire.probes()) {
                    wire.initialized(STATELESS, subscribe); // HTTP: a stream of its own, held open
                } else {
                    try {
                        wire.send(subscribe); // stdio: its notifications come on the one output
                    } catch (IOException e) {
                        throw new UpstreamException(name + " could not be asked to listen: " + describe(e), e);
                    }
                }
                return;
            }
            if (STATELESS.equals(pinned)) {
                throw new UpstreamException(UpstreamException.CONNECTION_FAILED,
                        name + " does not offer protocol version " + STATELESS + " in its server/discover answer");
            }
        }
        handshake();
    }

    /** Asks {@code server/discover}; the answer when it offers the stateless revision, else null. */
    private JsonNode discover() throws UpstreamException, InterruptedException {
        ObjectNode params = mapper.createObjectNode();
        envelope(params, null);
        try {
            JsonNode result;
            try {
                result = send("server/discover", params, null, true).get(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UpstreamException u && u.code() == UNSUPPORTED_VERSION)) {
                    throw e;
                }
                // It turned the first attempt down as a version it does not speak: once more, as the revision says.
                result = send("server/discover", params, null, true).get(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            for (JsonNode v : result.path("supportedVersions")) {
                if (STATELESS.equals(v.asText())) {
                    return result;
                }
            }
            return null;
        } catch (ExecutionException e) {
            // an error, a 4xx, an answer that is not JSON-RPC: a server of an older revision
            LOG.fine(() -> "Upstream " + name + " does not answer server/discover (" + e.getCause().getMessage()
                    + "); initialising a session");
            return null;
        } catch (TimeoutException e) {
            throw new UpstreamException(UpstreamException.CONNECTION_FAILED,
                    name + " did not answer server/discover within " + handshakeTimeout.toMillis() + " ms");
        }
    }

    private synchronized void handshake() throws UpstreamException, InterruptedException {
        ObjectNode params = mapper.createObjectNode();
        params.put("protocolVersion", pinned == null || STATELESS.equals(pinned) ? ASKED : pinned);
        capabilities(params.putObject("capabilities"), null);
        params.putObject("clientInfo").put("name", "plugboard-proxy").put("version", clientVersion);
        JsonNode result;
        try {
            result = send("initialize", params, null, false).get(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
            wire.send(new Wire.Outgoing(codec.encode(new JsonRpcNotification("notifications/initialized", null)), null,
                    "notifications/initialized", null, false));
        } catch (IOException e) {
            throw new UpstreamException("the handshake with " + name + " failed: " + describe(e), e);
        }
        wire.initialized(version, null);
    }

    /**
     * The client capabilities declared: in a session, everything the proxy can pass on (a client
     * that lacks one gets the upstream's request refused); statelessly, those of the calling client.
     */
    private void capabilities(ObjectNode into, RequestContext context) {
        for (ClientCapability c : ClientCapability.values()) {
            if (context == null ? !stateless : context.supports(c)) {
                into.putObject(c.name().toLowerCase(Locale.ROOT));
            }
        }
    }

    /** The per-request {@code _meta} of the stateless revision. */
    private void envelope(ObjectNode params, RequestContext context) {
        ObjectNode meta = params.withObject("_meta");
        meta.put(META + "protocolVersion", STATELESS);
        capabilities(meta.putObject(META + "clientCapabilities"), context);
        meta.putObject(META + "clientInfo").put("name", "plugboard-proxy").put("version", clientVersion);
        if (context != null) {
            meta.put(META + "logLevel", "debug"); // the calling client's own level filters them
        }
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
        return request(method, params, context, (Duration) null);
    }

    /**
     * A request under a time limit: over Streamable HTTP to a plain {@code http} server, it is sent
     * and its JSON answer read on the calling thread ({@link Wire#sendInPlace}), so the returned
     * future is usually complete already; when the limit passes on the wire first, it fails with a
     * {@link TimeoutException} and the server is told the request is no longer wanted.
     */
    @Override
    public CompletableFuture<String> request(String method, String params, RequestContext context,
            Duration timeLimit) {
        JsonNode tree;
        try {
            tree = params == null ? null : mapper.readTree(params);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("params are not valid JSON"));
        }
        if (tree != null && !tree.isObject()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("params must be a JSON object"));
        }
        CompletableFuture<String> answer = new UpstreamAnswer<>();
        AtomicReference<CompletableFuture<JsonNode>> current = new AtomicReference<>();
        exchange(method, (ObjectNode) tree, context, 0, current, timeLimit).whenComplete((result, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure instanceof java.util.concurrent.CompletionException c
                        && c.getCause() != null ? c.getCause() : failure);
            } else {
                answer.complete(result.toString());
            }
        });
        answer.whenComplete((r, failure) -> {
            CompletableFuture<JsonNode> inFlight = current.get();
            if (answer.isCancelled() && inFlight != null) {
                inFlight.cancel(false);
            }
        });
        return answer;
    }

    /**
     * One request; under the stateless revision, an input-required answer is asked of the calling
     * client and the request sent again with the answers, until the upstream answers for good.
     */
    private CompletableFuture<JsonNode> exchange(String method, ObjectNode params, RequestContext context, int round,
            AtomicReference<CompletableFuture<JsonNode>> current, Duration timeLimit) {
        // Only the first round goes in place: a later one starts on a thread of its own, whose caller waits on its future.
        CompletableFuture<JsonNode> sent = send(method, params, context, stateless, round == 0 ? timeLimit : null);
        current.set(sent);
        if (!stateless) {
            return sent;
        }
        return sent.thenCompose(result -> {
            if (!"input_required".equals(result.path("resultType").asText())) {
                if (result instanceof ObjectNode o) {
                    o.remove("resultType");
                }
                return CompletableFuture.completedFuture(result);
            }
            if (context == null) {
                return CompletableFuture.failedFuture(new UpstreamException(ErrorCodes.INVALID_REQUEST,
                        name + " asked for the client's input, but no client is behind this request"));
            }
            if (round >= MAX_ROUNDS) {
                return CompletableFuture.failedFuture(new UpstreamException(ErrorCodes.INTERNAL_ERROR,
                        name + " still asked for input after " + MAX_ROUNDS + " rounds"));
            }
            CompletableFuture<JsonNode> next = new CompletableFuture<>();
            Thread.ofVirtual().name("upstream-" + name + "-input").start(() -> {
                try {
                    ObjectNode retry = params == null ? mapper.createObjectNode() : params.deepCopy();
                    retry.set("inputResponses", questions.answers(context, result.get("inputRequests")));
                    if (result.path("requestState").isTextual()) {
                        retry.set("requestState", result.get("requestState"));
                    } else {
                        retry.remove("requestState");
                    }
                    exchange(method, retry, context, round + 1, current, null).whenComplete((r, f) -> {
                        if (f != null) {
                            next.completeExceptionally(f);
                        } else {
                            next.complete(r);
                        }
                    });
                } catch (IllegalArgumentException | McpException e) {
                    next.completeExceptionally(new UpstreamException(ErrorCodes.INVALID_PARAMS,
                            name + " asked for input that cannot be passed on: " + e.getMessage()));
                } catch (Throwable t) { // the client's input comes with its retry (a signal), or it lacks a capability
                    next.completeExceptionally(t);
                }
            });
            return next;
        });
    }

    private CompletableFuture<JsonNode> send(String method, ObjectNode params, RequestContext context,
            boolean statelessRequest) {
        return send(method, params, context, statelessRequest, null);
    }

    /** @param timeLimit when not null, the request may be sent and answered {@link Wire#sendInPlace in place} within it */
    private CompletableFuture<JsonNode> send(String method, ObjectNode params, RequestContext context,
            boolean statelessRequest, Duration timeLimit) {
        JsonNode id = LongNode.valueOf(ids.incrementAndGet());
        ObjectNode body = params == null ? null : params.deepCopy();
        if (context != null) {
            body = body == null ? mapper.createObjectNode() : body;
            body.withObject("_meta").set("progressToken", id);
            contexts.put(id, context);
        }
        if (statelessRequest && !"server/discover".equals(method)) {
            body = body == null ? mapper.createObjectNode() : body;
            envelope(body, context);
        }
        body = dev.plugboard.host.tracing.TraceContext.onto(body, context); // W3C trace context, docs/observability.md
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        pending.put(id, future);
        future.whenComplete((r, failure) -> {
            pending.remove(id);
            contexts.remove(id);
            if (future.isCancelled() || failure instanceof InputRequiredSignal || failure instanceof TimeoutException) {
                cancelled(id);
            }
        });
        String why = ended.get();
        if (why != null) {
            // Said as the calls in flight were told: a process that exited says why.
            future.completeExceptionally(new UpstreamException(UpstreamException.CONNECTION_FAILED, why));
            return future;
        }
        String mirroredName = switch (method) {
            case "tools/call", "prompts/get" -> body == null ? null : body.path("name").asText(null);
            case "resources/read" -> body == null ? null : body.path("uri").asText(null);
            default -> null;
        };
        Wire.Outgoing outgoing = new Wire.Outgoing(codec.encode(new JsonRpcRequest(id, method, body)), id, method,
                mirroredName, statelessRequest);
        if (wire.sendsAsync() && !outgoing.handshake() && timeLimit != null && sentInPlace(future, outgoing, timeLimit)) {
            return future;
        }
        if (wire.sendsAsync() && !outgoing.handshake()) {
            // An HTTP server may hold the POST until it answers: the caller waits on the future, under
            // its time limit, and no thread waits on the exchange (the answer completes the future).
            wire.sendLater(outgoing, "upstream-" + name + "-request").whenComplete((delivered, failure) -> {
                if (failure != null) {
                    failedDelivery(future, outgoing, failure);
                }
            });
        } else {
            deliverInto(future, outgoing, false);
        }
        return future;
    }

    /**
     * Sends a request and reads its answer on this thread, when the wire can: the caller then wakes
     * no other thread, and none wakes it. While it waits, the plugin call it runs is counted as one
     * waiting on the host ({@link IoWaits}), as a wait on the future would be.
     *
     * @return whether it was sent so (the future is complete, unless a stream ended without its answer)
     */
    private boolean sentInPlace(CompletableFuture<JsonNode> future, Wire.Outgoing outgoing, Duration timeLimit) {
        if (future.isDone()) {
            return true; // the connection ended: it failed already
        }
        Duration day = Duration.ofDays(1);
        long deadline = System.nanoTime() + (timeLimit.compareTo(day) > 0 ? day : timeLimit).toNanos();
        boolean announced = IoWaits.begin();
        try {
            return wire.sendInPlace(outgoing, deadline);
        } catch (Wire.TimedOut e) {
            future.completeExceptionally(new TimeoutException(name + " did not answer within " + timeLimit.toMillis()
                    + " ms"));
            return true;
        } catch (IOException | RuntimeException e) {
            failedDelivery(future, outgoing, e);
            return true;
        } finally {
            if (announced) {
                IoWaits.end();
            }
        }
    }

    /** A request sent asynchronously was not delivered: an expired session is initialised and it is sent again. */
    private void failedDelivery(CompletableFuture<JsonNode> future, Wire.Outgoing outgoing, Throwable failure) {
        if (future.isDone()) {
            return; // cancelled or answered: nothing to report
        }
        if (failure instanceof Wire.SessionExpired) {
            Thread.ofVirtual().name("upstream-" + name + "-request").start(() -> deliverInto(future, outgoing, true));
        } else if (failure instanceof IOException e) {
            future.completeExceptionally(unreachable(e));
        } else {
            LOG.fine(() -> "Upstream " + name + ": sending failed: " + failure);
            future.completeExceptionally(new UpstreamException(UpstreamException.CONNECTION_FAILED,
                    name + " could not be reached: the connection failed"));
        }
    }

    /** @param expired whether the session expired at a first attempt: a new one is initialised first */
    private void deliverInto(CompletableFuture<JsonNode> future, Wire.Outgoing outgoing, boolean expired) {
        if (future.isDone()) {
            return; // cancelled before it was sent: nothing to send, nothing to abort
        }
        try {
            if (expired) {
                renewed(outgoing);
            } else {
                deliver(outgoing);
            }
        } catch (IOException e) {
            future.completeExceptionally(unreachable(e));
        } catch (UpstreamException e) {
            future.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(new UpstreamException(UpstreamException.CONNECTION_FAILED,
                    "interrupted while sending to " + name));
        }
    }

    /** Sends, and when an HTTP session expired, initialises a new one and sends once more. */
    private void deliver(Wire.Outgoing message) throws IOException, UpstreamException, InterruptedException {
        try {
            wire.send(message);
        } catch (Wire.SessionExpired expired) {
            if (message.handshake()) {
                throw expired;
            }
            renewed(message);
        }
    }

    /** Initialises a new session in place of one that expired, and sends the message again. */
    private void renewed(Wire.Outgoing message) throws IOException, UpstreamException, InterruptedException {
        LOG.info(() -> "The session with upstream " + name + " expired; initialising a new one");
        handshake();
        wire.send(message);
    }

    /**
     * A send that failed. When the wire is closed by then (a process that exited) the connection has
     * ended, and the call is told so as the calls in flight were, even if it got there first.
     */
    private UpstreamException unreachable(IOException e) {
        String why = ended.get();
        if (why == null) {
            why = (wire.isOpen() ? name + " could not be reached: " : "the connection to " + name + " ended: ")
                    + describe(e);
        }
        return new UpstreamException(why, e);
    }

    /**
     * A failure in a plain sentence: this package's own, or a fixed one (a library's message, which
     * may name an address or speak of its internals, goes to the log only).
     */
    private String describe(IOException e) {
        if (e instanceof Wire.Failure && e.getMessage() != null) {
            return e.getMessage();
        }
        LOG.fine(() -> "Upstream " + name + ": " + e);
        if (e instanceof java.net.ConnectException) {
            return "the connection was refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "it did not answer in time";
        }
        return "the connection failed";
    }

    /** Tells the server a request is no longer wanted: a notification, or (stateless) its exchange closed. */
    private void cancelled(JsonNode id) {
        if (ended.get() != null) {
            return;
        }
        if (stateless) {
            wire.abandon(id);
            return;
        }
        ObjectNode params = mapper.createObjectNode();
        params.set("requestId", id);
        params.put("reason", "the client cancelled the call");
        Wire.Outgoing cancel = new Wire.Outgoing(codec.encode(new JsonRpcNotification("notifications/cancelled",
                params)), null, "notifications/cancelled", null, false);
        Runnable tell = () -> {
            try {
                wire.send(cancel);
            } catch (IOException e) {
                LOG.fine(() -> "Could not tell " + name + " of a cancellation: " + e);
            }
            wire.abandon(id); // a POST still held, or its answer's stream, is closed: no thread waits on it
        };
        if (wire.sendsAsync()) {
            Thread.ofVirtual().name("upstream-" + name + "-cancel").start(tell); // the canceller does not wait
        } else {
            tell.run();
        }
    }

    private void dispatch(JsonNode tree, JsonNode related) {
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
            case JsonRpcNotification n -> notified(n, related);
            case JsonRpcRequest r -> answer(r, related);
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

    /**
     * The request on whose behalf the server sent something: the one whose stream it came on, or
     * (stdio, which does not say) the newest one that has a context.
     */
    private JsonNode callFor(JsonNode related) {
        JsonNode id = normalised(related);
        if (id != null && contexts.containsKey(id)) {
            return id;
        }
        return contexts.keySet().stream().max(java.util.Comparator.comparingLong(JsonNode::asLong)).orElse(null);
    }

    private void notified(JsonRpcNotification n, JsonNode related) {
        JsonNode params = n.params() instanceof JsonNode p ? p : null;
        if ("notifications/progress".equals(n.method()) && params != null) {
            RequestContext context = contexts.get(normalised(params.get("progressToken")));
            if (context != null) {
                JsonNode total = params.get("total");
                JsonNode message = params.get("message");
                context.progress(params.path("progress").asDouble(),
                        total == null || !total.isNumber() ? Double.NaN : total.asDouble(),
                        message == null || !message.isTextual() ? null : message.asText());
            }
            return;
        }
        if ("notifications/message".equals(n.method()) && params != null) {
            JsonNode call = callFor(related);
            RequestContext context = call == null ? null : contexts.get(call);
            if (context != null) {
                JsonNode data = params.get("data");
                String text = data == null ? "" : data.isTextual() ? data.asText() : data.toString();
                context.log(level(params.path("level").asText()), text);
                return;
            }
        }
        try {
            listener.notified(n.method(), params == null ? null : params.toString());
        } catch (RuntimeException e) {
            LOG.warning(() -> "The listener of upstream " + name + " failed on " + n.method() + ": " + e);
        }
    }

    private static LogLevel level(String wire) {
        try {
            return LogLevel.valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return LogLevel.INFO;
        }
    }

    private void answer(JsonRpcRequest r, JsonNode related) {
        if ("ping".equals(r.method())) {
            reply(r, new JsonRpcResult(r.id(), mapper.createObjectNode()));
            return;
        }
        JsonNode call = ClientQuestions.METHODS.contains(r.method()) ? callFor(related) : null;
        RequestContext context = call == null ? null : contexts.get(call);
        if (context == null) {
            reply(r, JsonRpcError.of(r.id(), ErrorCodes.METHOD_NOT_FOUND, ClientQuestions.METHODS.contains(r.method())
                    ? "no client call is waiting on " + r.method() + " at Plugboard's proxy"
                    : "Plugboard's proxy does not pass on " + r.method(), null));
            return;
        }
        JsonNode params = r.params() instanceof JsonNode p ? p : mapper.createObjectNode();
        Thread.ofVirtual().name("upstream-" + name + "-asks").start(() -> {
            JsonRpcMessage reply;
            try {
                reply = new JsonRpcResult(r.id(), questions.ask(context, r.method(), params));
            } catch (InputRequiredSignal signal) {
                // A stateless client answers with a retry of its call, which calls the upstream again.
                reply = JsonRpcError.of(r.id(), ErrorCodes.INTERNAL_ERROR,
                        "the client answers with a retry of its call; this call is abandoned", null);
                CompletableFuture<JsonNode> waiting = pending.get(call);
                if (waiting != null) {
                    waiting.completeExceptionally(signal);
                }
            } catch (MissingCapabilityException e) {
                reply = JsonRpcError.of(r.id(), ErrorCodes.METHOD_NOT_FOUND, "the client does not support "
                        + e.capability().name().toLowerCase(Locale.ROOT), null);
            } catch (CancellationException e) {
                reply = JsonRpcError.of(r.id(), ErrorCodes.INTERNAL_ERROR, "the client's call was cancelled", null);
            } catch (IllegalArgumentException | McpException e) {
                reply = JsonRpcError.of(r.id(), ErrorCodes.INVALID_PARAMS, e.getMessage(), null);
            } catch (RuntimeException e) {
                LOG.fine(() -> "Upstream " + name + ": passing on " + r.method() + " failed: " + e);
                reply = JsonRpcError.of(r.id(), ErrorCodes.INTERNAL_ERROR, "the client did not answer "
                        + r.method(), null);
            }
            reply(r, reply);
        });
    }

    private void reply(JsonRpcRequest r, JsonRpcMessage reply) {
        try {
            wire.send(new Wire.Outgoing(codec.encode(reply), null, null, null, stateless));
        } catch (IOException e) {
            LOG.fine(() -> "Could not answer " + name + "'s " + r.method() + ": " + e.getMessage());
        }
    }

    private void end(String reason) {
        String why = "the connection to " + name + " ended: " + reason;
        if (!ended.compareAndSet(null, why)) {
            return;
        }
        UpstreamException failure = new UpstreamException(UpstreamException.CONNECTION_FAILED, why);
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
        return ended.get() == null && wire.isOpen();
    }

    @Override
    public void close() {
        String why = "the connection to " + name + " was closed";
        if (ended.compareAndSet(null, why)) {
            UpstreamException failure = new UpstreamException(UpstreamException.CONNECTION_FAILED, why);
            pending.values().forEach(f -> f.completeExceptionally(failure));
            onClose.run();
        }
        wire.close();
    }

}
