package dev.plugboard.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aSessionLivesWhileUsedAndEndsWhenIdleOrClosed() {
        Hands clock = new Hands();
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(30), clock);
        ConsoleSession s = sessions.open("pbk_secret", "key abc", new ConsoleSession.Rights(true, false));
        assertThat(s.id()).hasSize(43).isNotEqualTo(s.csrf());
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).contains(s);
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).as("touched 29 minutes ago").isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(31));
        assertThat(sessions.find(s.id())).isEmpty();

        ConsoleSession t = sessions.open("k", "w", new ConsoleSession.Rights(false, false));
        sessions.close(t.id());
        assertThat(sessions.find(t.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
    }

    @Test
    void csrfTokensMustMatchExactly() {
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(1), Clock.systemUTC());
        ConsoleSession s = sessions.open("k", "w", new ConsoleSession.Rights(false, false));
        assertThat(ConsoleSessions.csrfMatches(s, s.csrf())).isTrue();
        assertThat(ConsoleSessions.csrfMatches(s, null)).isFalse();
        assertThat(ConsoleSessions.csrfMatches(s, "")).isFalse();
        assertThat(ConsoleSessions.csrfMatches(s, s.csrf() + "x")).isFalse();
        assertThat(ConsoleSessions.csrfMatches(s, s.id())).isFalse();
    }

    @Test
    void theOldestSessionsGoPastTheCap() {
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofHours(1), Clock.systemUTC());
        for (int i = 0; i < ConsoleSessions.MAX_SESSIONS + 10; i++) {
            sessions.open("k" + i, "w", new ConsoleSession.Rights(false, false));
        }
        ConsoleSession last = sessions.open("last", "w", new ConsoleSession.Rights(false, false));
        assertThat(sessions.find(last.id())).isPresent();
        assertThat(sessions.size()).isLessThanOrEqualTo(ConsoleSessions.MAX_SESSIONS);
    }

    @Test
    void whoIsLoggedInNewestFirstAndPeekingDoesNotKeepASessionAlive() {
        Hands clock = new Hands();
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(30), clock);
        ConsoleSession a = sessions.open("k1", "alice", new ConsoleSession.Rights(true, true));
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        ConsoleSession b = sessions.open("k2", "bob", new ConsoleSession.Rights(false, false));
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        sessions.find(a.id());
        assertThat(sessions.live()).extracting(ConsoleSessions.Seen::session).containsExactly(a, b);
        assertThat(sessions.live().get(0).lastSeen()).isEqualTo(clock.now);

        clock.now = clock.now.plus(Duration.ofMinutes(30));
        assertThat(sessions.peek(b.id())).isEmpty();
        assertThat(sessions.peek(a.id())).contains(a);
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(sessions.peek(a.id())).as("peeking did not touch it").isEmpty();
        assertThat(sessions.live()).isEmpty();
        assertThat(sessions.peek(null)).isEmpty();
    }
}
