package dev.plugboard.console.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's server-side sessions: the browser holds only a random id in an {@code HttpOnly} cookie;
 * the credential stays here. A session ends on logout, after {@code idle} without a request, or when the
 * console bundle stops (sessions are in memory). Thread-safe.
 */
public final class ConsoleSessions {

    /** At most this many sessions; the one idle longest goes first. */
    static final int MAX_SESSIONS = 1024;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    public ConsoleSessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    /** Opens a session for a credential the host accepted. */
    public ConsoleSession open(String credential, String who, ConsoleSession.Rights rights) {
        sweep();
        ConsoleSession session = new ConsoleSession(token(), credential, token(), who, rights, clock.instant());
        sessions.put(session.id(), new Entry(session, clock.instant()));
        return session;
    }

    /** The live session of this id, touched; empty for an unknown, ended or idle one. */
    public Optional<ConsoleSession> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Entry entry = sessions.get(id);
        Instant now = clock.instant();
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.lastSeen.plus(idle).isBefore(now)) {
            sessions.remove(id, entry);
            return Optional.empty();
        }
        entry.lastSeen = now;
        return Optional.of(entry.session);
    }

    /**
     * The live session of this id without touching it (a live stream checks that its session still lives,
     * which must not keep the session alive by itself); empty for an unknown, ended or idle one.
     */
    public Optional<ConsoleSession> peek(String id) {
        Entry entry = id == null ? null : sessions.get(id);
        if (entry == null || entry.lastSeen.plus(idle).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(entry.session);
    }

    /**
     * Who is logged in now: every live session, the most recently seen first.
     *
     * @return the sessions with when each was last used
     */
    public List<Seen> live() {
        Instant now = clock.instant();
        List<Seen> out = new ArrayList<>();
        sessions.values().forEach(e -> {
            Instant last = e.lastSeen;
            if (!last.plus(idle).isBefore(now)) {
                out.add(new Seen(e.session, last));
            }
        });
        out.sort(Comparator.comparing(Seen::lastSeen).reversed());
        return out;
    }

    /**
     * A live session and when it was last used.
     *
     * @param session the session
     * @param lastSeen its last request
     */
    public record Seen(ConsoleSession session, Instant lastSeen) {
    }

    /** Ends a session (logout); nothing happens for an unknown id. */
    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session (the bundle stops). */
    public void clear() {
        sessions.clear();
    }

    /** Whether {@code offered} is the session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(ConsoleSession session, String offered) {
        return offered != null && sameToken(session.csrf(), offered);
    }

    /** Compares two tokens in constant time. */
    public static boolean sameToken(String expected, String offered) {
        return offered != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                offered.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh random token (32 bytes, URL-safe Base64). */
    public String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    int size() {
        return sessions.size();
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(e -> e.lastSeen.plus(idle).isBefore(now));
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min((a, b) -> a.lastSeen.compareTo(b.lastSeen))
                    .ifPresent(oldest -> sessions.remove(oldest.session.id()));
        }
    }

    private static final class Entry {
        final ConsoleSession session;
        volatile Instant lastSeen;

        Entry(ConsoleSession session, Instant lastSeen) {
            this.session = session;
            this.lastSeen = lastSeen;
        }
    }
}
