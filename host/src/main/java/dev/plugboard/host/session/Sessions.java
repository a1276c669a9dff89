package dev.plugboard.host.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The sessions of this node, in memory. Sessions idle for longer than the idle timeout (no request,
 * no connected stream, nothing in flight) expire; their ids then answer 404 like any unknown id.
 *
 * <p>Everything a session keeps from its client is bounded: the client's name, title, version and
 * capabilities together may not exceed {@code maxClientDataBytes}. The number of sessions is bounded
 * overall and per client address; when a limit is reached, the least recently active idle session
 * (of that client, for the per-client limit) makes room, so new clients recover from a flood of
 * abandoned sessions. Only when every session is busy is a new one refused ({@link #BUSY}).
 *
 * <p>With a shared {@link SessionStore} the sessions here are this node's cache of the store, which is
 * the truth: a session opened on another node is loaded on first use, one ended anywhere ends here,
 * and idle expiry is the store's (each node renews the sessions it serves). A session idle here is
 * then only dropped from the cache, and the limits count the sessions this node holds.
 * Thread-safe.
 */
public final class Sessions implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());
    /** The JSON-RPC error code of a refused session: the server or the client has too many busy ones. */
    public static final int BUSY = ErrorCodes.SERVER_BUSY;
    /** How long a refused client should wait before trying again, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 10;
    /** The limit named in a refusal's data when the client reached its own share. */
    public static final String PER_CLIENT_LIMIT = "sessions.maxPerClient";
    /** The limit named in a refusal's data when the server is full. */
    public static final String SERVER_LIMIT = "sessions.max";
    /** Default bound of the client data a session keeps. */
    public static final int DEFAULT_MAX_CLIENT_DATA_BYTES = 64 * 1024;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration idleTimeout;
    private final int maxSessions;
    private final int maxPerClient;
    private final int maxClientDataBytes;
    private final ScheduledExecutorService sweeper;
    private final SessionStore store;
    private final boolean shared;
    private final long keepNanos;
    private volatile Consumer<Session> onClose = s -> { };

    /**
     * @param idleTimeout how long an inactive session lives
     * @param maxSessions how many sessions may exist at once
     */
    public Sessions(Duration idleTimeout, int maxSessions) {
        this(idleTimeout, maxSessions, maxSessions, DEFAULT_MAX_CLIENT_DATA_BYTES);
    }

    /**
     * @param idleTimeout how long an inactive session lives
     * @param maxSessions how many sessions may exist at once
     * @param maxPerClient how many sessions one client address may have at once
     * @param maxClientDataBytes how much client data (name, title, version, capabilities) a session keeps
     */
    public Sessions(Duration idleTimeout, int maxSessions, int maxPerClient, int maxClientDataBytes) {
        this(idleTimeout, maxSessions, maxPerClient, maxClientDataBytes, SessionStore.LOCAL);
    }

    /**
     * @param idleTimeout how long an inactive session lives
     * @param maxSessions how many sessions this node may hold at once
     * @param maxPerClient how many sessions one client address may have at once on this node
     * @param maxClientDataBytes how much client data (name, title, version, capabilities) a session keeps
     * @param store where sessions are shared with other nodes ({@link SessionStore#LOCAL}: nowhere)
     */
    public Sessions(Duration idleTimeout, int maxSessions, int maxPerClient, int maxClientDataBytes,
            SessionStore store) {
        this.store = store;
        this.shared = store.shared();
        // Renew the store's expiry well before it passes, and not on every request.
        this.keepNanos = Math.max(Duration.ofMillis(100).toNanos(), Math.min(idleTimeout.toNanos() / 10,
                Duration.ofSeconds(5).toNanos()));
        store.onEndedElsewhere(this::drop);
        store.onChangedElsewhere(state -> {
            Session held = sessions.get(state.id());
            if (held != null) {
                held.restore(state);
            }
        });
        store.resyncFrom(() -> sessions.values().stream().map(Session::state).toList());
        store.onAnswerFromElsewhere((id, answer) -> {
            Session held = sessions.get(id);
            if (held == null || !held.settle(answer)) {
                LOG.fine(() -> "An answer relayed from another node awaits nothing here: " + answer.id());
            }
        });
        this.idleTimeout = idleTimeout;
        this.maxSessions = maxSessions;
        this.maxPerClient = maxPerClient;
        this.maxClientDataBytes = maxClientDataBytes;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("session-sweeper").unstarted(r));
        long period = Math.max(1, Math.min(60, idleTimeout.toSeconds() / 4));
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.SECONDS);
        if (shared) {
            sweeper.scheduleAtFixedRate(this::keepBusyAlive, keepNanos, keepNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Sets what to do when a session ends (closing its streams). */
    public void onClose(Consumer<Session> action) {
        this.onClose = action;
    }

    /**
     * Opens a session for a client whose address is unknown (one client, such as stdio's).
     *
     * @throws McpException see {@link #open(ProtocolVersion, Implementation, ClientCapabilities, String)}
     */
    public Session open(ProtocolVersion version, Implementation client, ClientCapabilities capabilities) {
        return open(version, client, capabilities, null);
    }

    /**
     * Opens a session, making room by closing the least recently active idle session when a limit
     * is reached.
     *
     * @param clientAddress where the client connects from, or null when unknown
     * @throws McpException {@link ErrorCodes#INVALID_PARAMS} when the client data exceeds its bound;
     *     {@link #BUSY} when the server (or this client) has as many busy sessions as it may have,
     *     with data naming the limit and when to retry
     */
    public Session open(ProtocolVersion version, Implementation client, ClientCapabilities capabilities,
            String clientAddress) {
        return open(version, client, capabilities, clientAddress, null);
    }

    /**
     * Opens a session that only one credential may use.
     *
     * @param owner the credential opening it, or null for a session anyone holding its id may use
     * @throws McpException see {@link #open(ProtocolVersion, Implementation, ClientCapabilities, String)}
     */
    public Session open(ProtocolVersion version, Implementation client, ClientCapabilities capabilities,
            String clientAddress, String owner) {
        Session session = openHere(version, client, capabilities, clientAddress, owner);
        if (shared) {
            share(session);
            session.stored(store.save(session.state()));
        }
        return session;
    }

    private void share(Session session) {
        session.shareQuestions(store);
        session.onChange(() -> {
            if (!session.closed()) {
                session.stored(store.update(session.state()));
            }
        });
    }

    private synchronized Session openHere(ProtocolVersion version, Implementation client,
            ClientCapabilities capabilities, String clientAddress, String owner) {
        checkClientData(client, capabilities);
        if (clientAddress != null && perClient.getOrDefault(clientAddress, 0) >= maxPerClient
                && !evictIdle(clientAddress)) {
            throw busy(PER_CLIENT_LIMIT, "this client already has " + maxPerClient + " active sessions");
        }
        if (sessions.size() >= maxSessions) {
            sweep();
            if (sessions.size() >= maxSessions && !evictIdle(null)) {
                throw busy(SERVER_LIMIT, "the server has reached its limit of " + maxSessions + " active sessions");
            }
        }
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session session = new Session(id, version, client, capabilities, clientAddress, owner);
        sessions.put(id, session);
        if (clientAddress != null) {
            perClient.merge(clientAddress, 1, Integer::sum);
        }
        return session;
    }

    private static McpException busy(String limit, String why) {
        return new McpException(BUSY, "Server busy: " + why + "; end unused sessions or try again in "
                + RETRY_AFTER_SECONDS + " s", Map.of("limit", limit, "retryAfterSeconds", RETRY_AFTER_SECONDS));
    }

    /** Closes the least recently active idle session (of one client, when given); false when all are busy. */
    private boolean evictIdle(String clientAddress) {
        Optional<Session> victim = sessions.values().stream()
                .filter(s -> clientAddress == null || clientAddress.equals(s.clientAddress()))
                .filter(s -> !s.busy())
                .min(Comparator.comparingLong(Session::lastActive));
        victim.ifPresent(s -> {
            LOG.fine(() -> "Session " + s.id() + " closed to make room for a new one");
            if (shared) {
                drop(s.id());
            } else {
                close(s.id());
            }
        });
        return victim.isPresent();
    }

    private void checkClientData(Implementation client, ClientCapabilities capabilities) {
        long size = 0;
        if (client != null) {
            size += length(client.name()) + length(client.title()) + length(client.version());
        }
        if (size > maxClientDataBytes) {
            throw McpException.invalidParams("Invalid params: \"clientInfo\" is larger than the server keeps (limit "
                    + maxClientDataBytes + " bytes)");
        }
        if (capabilities != null && size(capabilities.raw(), maxClientDataBytes - size) < 0) {
            throw McpException.invalidParams("Invalid params: \"capabilities\" and \"clientInfo\" are larger than the "
                    + "server keeps (limit " + maxClientDataBytes + " bytes)");
        }
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    /** What is left of the budget after a JSON value's approximate size; negative once past it. */
    private static long size(JsonNode node, long budget) {
        long left = budget - 8;
        if (left < 0) {
            return left;
        }
        if (node.isTextual()) {
            return left - node.textValue().length();
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext() && left >= 0;) {
                Map.Entry<String, JsonNode> field = it.next();
                left = size(field.getValue(), left - field.getKey().length());
            }
        } else if (node.isArray()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext() && left >= 0;) {
                left = size(it.next(), left);
            }
        }
        return left;
    }

    /**
     * The live session with that id.
     *
     * @throws StoreUnavailableException with a shared store, when this node does not hold the session
     *     and the store cannot answer now
     */
    public Optional<Session> find(String id) {
        Session s = id == null ? null : sessions.get(id);
        if (shared && id != null) {
            s = fromStore(id, s);
        }
        if (s != null) {
            s.touch();
        }
        return Optional.ofNullable(s);
    }

    /**
     * The session as the shared store knows it: the cached copy while it is fresh (its expiry renewed
     * now and then), else the store's.
     *
     * @throws StoreUnavailableException when the session is not cached and the store cannot answer
     */
    private Session fromStore(String id, Session cached) {
        if (cached != null) {
            if (cached.busy() || cached.idleNanos() <= idleTimeout.toNanos()) {
                if (cached.keepDue(keepNanos)) {
                    store.keepAlive(cached.state(), () -> drop(id));
                }
                return cached;
            }
            // Idle here for longer than a session lives: it may have expired, or lived on elsewhere.
            drop(id);
        }
        Optional<SessionState> stored = store.load(id);
        if (stored.isEmpty()) {
            return null;
        }
        SessionState state = stored.get();
        Session loaded = new Session(id, state.version(), state.client(), state.capabilities(), state.clientAddress(),
                state.owner());
        loaded.restore(state);
        Session raced = sessions.putIfAbsent(id, loaded);
        if (raced != null) {
            return raced;
        }
        if (loaded.clientAddress() != null) {
            perClient.merge(loaded.clientAddress(), 1, Integer::sum);
        }
        share(loaded);
        LOG.fine(() -> "Session " + id + " loaded from the shared store");
        return loaded;
    }

    /**
     * Ends a session (everywhere, with a shared store); false when no such session lives.
     *
     * @throws StoreUnavailableException see {@link #find}
     */
    public boolean close(String id) {
        if (shared) {
            boolean known = sessions.containsKey(id) || store.load(id).isPresent();
            if (!known) {
                return false;
            }
            store.end(id);
            drop(id);
            return true;
        }
        return drop(id);
    }

    /** Forgets a session here: its requests are cancelled and its streams closed. */
    private boolean drop(String id) {
        Session s = sessions.remove(id);
        if (s == null) {
            return false;
        }
        if (s.clientAddress() != null) {
            perClient.computeIfPresent(s.clientAddress(), (k, n) -> n <= 1 ? null : n - 1);
        }
        s.close();
        onClose.accept(s);
        return true;
    }

    /** The session with that id if this node holds it, without loading it or counting it as activity. */
    public Optional<Session> held(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** Where sessions are shared with other nodes ({@link SessionStore#LOCAL}: nowhere). */
    public SessionStore store() {
        return store;
    }

    /** Every live session. */
    public Collection<Session> all() {
        return sessions.values();
    }

    /** How many sessions are live. */
    public int size() {
        return sessions.size();
    }

    private void sweep() {
        long limit = idleTimeout.toNanos();
        sessions.values().stream()
                .filter(s -> !s.busy() && s.idleNanos() > limit)
                .map(Session::id)
                .toList()
                .forEach(id -> {
                    LOG.fine(() -> "Session " + id + (shared ? " dropped from this node's cache" : " expired"));
                    drop(id);
                });
    }

    /** Busy sessions never expire: their copies in the shared store are renewed while they are busy. */
    private void keepBusyAlive() {
        sessions.values().stream().filter(Session::busy).filter(s -> s.keepDue(keepNanos / 2))
                .forEach(s -> store.keepAlive(s.state(), () -> drop(s.id())));
    }

    /** Stops this node's sessions; with a shared store they live on for other nodes and a restart. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        sessions.keySet().forEach(this::drop);
    }
}
