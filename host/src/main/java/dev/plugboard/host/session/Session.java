package dev.plugboard.host.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's MCP session (the session-based revisions): what was negotiated, the client's log
 * level, its requests in flight, and the stream on which the server reaches it unprompted.
 * Thread-safe.
 */
public final class Session {

    private final String id;
    private final ProtocolVersion version;
    private final Implementation client;
    private final ClientCapabilities capabilities;
    private final String clientAddress;
    private final String owner;
    private final Map<JsonNode, CallContext> inFlight = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonRpcResponse>> awaited = new ConcurrentHashMap<>();
    private final AtomicLong serverRequestIds = new AtomicLong();
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile LogLevel logLevel = LogLevel.INFO;
    private volatile MessageSink stream = MessageSink.NONE;
    private volatile long lastActive = System.nanoTime();
    private volatile boolean initialized;
    private volatile boolean closed;
    private long revision;
    private volatile Runnable changed = () -> { };
    private volatile long lastKept = System.nanoTime();
    /** Where this node's questions to the client are recorded, so that an answer reaching another node comes here. */
    private volatile SessionStore questions = SessionStore.LOCAL;
    private volatile String serverRequestPrefix = "srv-";

    /**
     * @param id the session id, unique and unguessable
     * @param version the negotiated revision
     * @param client the client's announced name and version
     * @param capabilities the client's declared capabilities
     */
    public Session(String id, ProtocolVersion version, Implementation client, ClientCapabilities capabilities) {
        this(id, version, client, capabilities, null);
    }

    /**
     * @param id the session id, unique and unguessable
     * @param version the negotiated revision
     * @param client the client's announced name and version
     * @param capabilities the client's declared capabilities
     * @param clientAddress where the client connects from (for per-client limits), or null
     */
    public Session(String id, ProtocolVersion version, Implementation client, ClientCapabilities capabilities,
            String clientAddress) {
        this(id, version, client, capabilities, clientAddress, null);
    }

    /**
     * @param clientAddress where the client connects from (for per-client limits), or null
     * @param owner the credential that opened the session, or null when opened without one (stdio)
     */
    public Session(String id, ProtocolVersion version, Implementation client, ClientCapabilities capabilities,
            String clientAddress, String owner) {
        this.owner = owner;
        this.id = id;
        this.version = version;
        this.client = client;
        this.capabilities = capabilities;
        this.clientAddress = clientAddress;
    }

    /**
     * Whether a request made with this credential may use the session: only the credential that
     * opened it may (a session id alone is not a credential), or anyone for a session opened without one.
     */
    public boolean usableBy(String credential) {
        return owner == null || owner.equals(credential);
    }

    /** Where the client connects from, or null when unknown. */
    public String clientAddress() {
        return clientAddress;
    }

    /** The session id. */
    public String id() {
        return id;
    }

    /** The negotiated revision. */
    public ProtocolVersion version() {
        return version;
    }

    /** The client's announced name and version, or null. */
    public Implementation client() {
        return client;
    }

    /** The client's declared capabilities. */
    public ClientCapabilities capabilities() {
        return capabilities;
    }

    /** The lowest log level the client wants. */
    public LogLevel logLevel() {
        return logLevel;
    }

    /** Sets the lowest log level the client wants. */
    public void logLevel(LogLevel level) {
        this.logLevel = level;
        changed.run();
    }

    /** Whether the client sent {@code notifications/initialized}. */
    public boolean initialized() {
        return initialized;
    }

    /** Records {@code notifications/initialized}. */
    public void markInitialized() {
        if (!initialized) {
            initialized = true;
            changed.run();
        }
    }

    /**
     * Attaches the stream for unprompted messages, if none is attached.
     *
     * @return false when another stream is already attached
     */
    public synchronized boolean attachStream(MessageSink sink) {
        if (stream != MessageSink.NONE) {
            return false;
        }
        stream = sink;
        return true;
    }

    /** Detaches the stream, if it is the one attached. */
    public synchronized void detachStream(MessageSink sink) {
        if (stream == sink) {
            stream = MessageSink.NONE;
        }
    }

    /** Sends a message on the stream for unprompted messages; false when none is open. */
    public boolean sendUnprompted(JsonRpcMessage message) {
        return !closed && stream.send(message);
    }

    /** Records a request in flight, for cancellation. */
    public void started(JsonNode requestId, CallContext context) {
        inFlight.put(requestId, context);
    }

    /** Forgets a request that ended. */
    public void finished(JsonNode requestId, CallContext context) {
        inFlight.remove(requestId, context);
    }

    /** Cancels a request in flight; false when no such request runs. */
    public boolean cancel(JsonNode requestId, String reason) {
        CallContext context = inFlight.remove(requestId);
        if (context == null) {
            return false;
        }
        context.cancelByClient(reason);
        return true;
    }

    /**
     * A fresh id for a request the server sends to this client: {@code srv-N}, or with a shared store
     * {@code srv-<node>-N}, unique among the nodes that share the session.
     */
    public String nextServerRequestId() {
        return serverRequestPrefix + serverRequestIds.incrementAndGet();
    }

    /**
     * Registers a server-to-client request; the future completes with the client's response. With a
     * shared store the request is recorded there first, so that an answer reaching another node is
     * sent here.
     */
    public CompletableFuture<JsonRpcResponse> expect(String id) {
        CompletableFuture<JsonRpcResponse> f = new CompletableFuture<>();
        awaited.put(id, f);
        SessionStore store = questions;
        store.awaiting(this.id, id);
        f.whenComplete((r, e) -> {
            awaited.remove(id, f);
            if (r != null) { // a question given up stays recorded (until the session's expiry), so that a late
                store.answered(this.id, id); // answer learns whether the node that asked still runs
            }
        });
        return f;
    }

    /** Records this node's questions to the client in a shared store, their ids naming the node. */
    void shareQuestions(SessionStore store) {
        this.questions = store;
        this.serverRequestPrefix = "srv-" + store.node() + "-";
    }

    /** Hands the client's response to the request awaiting it; false when none awaits it. */
    public boolean settle(JsonRpcResponse response) {
        CompletableFuture<JsonRpcResponse> f = response.id().isTextual() ? awaited.get(response.id().asText()) : null;
        return f != null && f.complete(response);
    }

    /**
     * Hands the client's response to the request awaiting it, on this node or, with a shared store,
     * on the node that asked.
     *
     * @throws StoreUnavailableException when the answer is for another node and the store cannot take it now
     */
    public AnswerRoute answer(JsonRpcResponse response) {
        if (settle(response)) {
            return AnswerRoute.SETTLED;
        }
        return questions.forward(id, response);
    }

    /** The URIs of the resources the client subscribed to. */
    public Set<String> subscriptions() {
        return subscriptions;
    }

    /** Subscribes the client to a resource's updates; true when it was not subscribed yet. */
    public boolean subscribe(String uri) {
        if (subscriptions.add(uri)) {
            changed.run();
            return true;
        }
        return false;
    }

    /** Ends the client's subscription to a resource's updates; true when it was subscribed. */
    public boolean unsubscribe(String uri) {
        if (subscriptions.remove(uri)) {
            changed.run();
            return true;
        }
        return false;
    }

    /** What outlives this node: enough to serve the session elsewhere. */
    public synchronized SessionState state() {
        return new SessionState(id, version, client, capabilities, clientAddress, logLevel, initialized, subscriptions,
                owner, revision);
    }

    /** Restores what a stored session kept, unless this copy already holds a newer revision. */
    synchronized void restore(SessionState state) {
        if (state.revision() != 0 && state.revision() <= revision) {
            return;
        }
        logLevel = state.logLevel();
        initialized = state.initialized();
        subscriptions.retainAll(state.subscriptions());
        subscriptions.addAll(state.subscriptions());
        revision = state.revision();
    }

    /** Records the revision the store gave a state of this session that this node wrote. */
    synchronized void stored(long storedRevision) {
        revision = Math.max(revision, storedRevision);
    }

    /** Sets what runs when what the session keeps changes (log level, initialised, subscriptions). */
    void onChange(Runnable action) {
        this.changed = action;
    }

    /** Whether the store's copy is due for renewal, and if so marks it renewed now. */
    boolean keepDue(long intervalNanos) {
        long now = System.nanoTime();
        if (now - lastKept < intervalNanos) {
            return false;
        }
        lastKept = now;
        return true;
    }

    /** Records activity, which keeps the session from expiring. */
    public void touch() {
        lastActive = System.nanoTime();
    }

    /** Nanoseconds since the last activity. */
    long idleNanos() {
        return System.nanoTime() - lastActive;
    }

    /**
     * Whether the session has a connected stream or requests in flight (an active session never
     * expires). A stream whose connection closed does not count: the session then ages like any other.
     */
    boolean busy() {
        MessageSink s = stream;
        return (s != MessageSink.NONE && s.connected()) || !inFlight.isEmpty();
    }

    /** Nanosecond time of the last activity. */
    long lastActive() {
        return lastActive;
    }

    /** Whether the session ended. */
    public boolean closed() {
        return closed;
    }

    /** Ends the session: cancels its requests and drops its stream. */
    void close() {
        closed = true;
        inFlight.values().forEach(c -> c.cancel("the session ended"));
        inFlight.clear();
        awaited.values().forEach(f -> f.cancel(false));
        MessageSink old;
        synchronized (this) {
            old = stream;
            stream = MessageSink.NONE;
        }
        old.close();
    }
}
