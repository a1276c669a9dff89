package dev.plugboard.host.session;

import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
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
 * no open stream, nothing in flight) expire; their ids then answer 404 like any unknown id.
 * Thread-safe.
 */
public final class Sessions implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration idleTimeout;
    private final int maxSessions;
    private final ScheduledExecutorService sweeper;
    private volatile Consumer<Session> onClose = s -> { };

    /**
     * @param idleTimeout how long an inactive session lives
     * @param maxSessions how many sessions may exist at once
     */
    public Sessions(Duration idleTimeout, int maxSessions) {
        this.idleTimeout = idleTimeout;
        this.maxSessions = maxSessions;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("session-sweeper").unstarted(r));
        long period = Math.max(1, Math.min(60, idleTimeout.toSeconds() / 4));
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.SECONDS);
    }

    /** Sets what to do when a session ends (closing its streams). */
    public void onClose(Consumer<Session> action) {
        this.onClose = action;
    }

    /**
     * Opens a session.
     *
     * @return empty when the session limit is reached
     */
    public Optional<Session> open(ProtocolVersion version, Implementation client, ClientCapabilities capabilities) {
        if (sessions.size() >= maxSessions) {
            sweep();
            if (sessions.size() >= maxSessions) {
                return Optional.empty();
            }
        }
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session session = new Session(id, version, client, capabilities);
        sessions.put(id, session);
        return Optional.of(session);
    }

    /** The live session with that id. */
    public Optional<Session> find(String id) {
        Session s = id == null ? null : sessions.get(id);
        if (s != null) {
            s.touch();
        }
        return Optional.ofNullable(s);
    }

    /** Ends a session; false when no such session lives. */
    public boolean close(String id) {
        Session s = sessions.remove(id);
        if (s == null) {
            return false;
        }
        s.close();
        onClose.accept(s);
        return true;
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
                    LOG.fine(() -> "Session " + id + " expired");
                    close(id);
                });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        sessions.keySet().forEach(this::close);
    }
}
