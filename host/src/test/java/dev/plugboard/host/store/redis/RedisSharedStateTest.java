package dev.plugboard.host.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.store.SharedState;
import dev.plugboard.api.store.SharedStateUnavailableException;
import dev.plugboard.host.store.Store;
import dev.plugboard.host.testsupport.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plugins' shared state on a real {@code redis-server}: values and expiry, and reservations that two
 * nodes make at once never pass the limit.
 */
class RedisSharedStateTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    private Store node() {
        return redis.store(TTL);
    }

    @Test
    void aValuePutOnOneNodeIsReadOnAnotherUntilItExpiresOrIsDeleted() {
        SharedState a = node().state();
        SharedState b = node().state();
        assertThat(a.shared()).isTrue();
        a.put("router:answer", "forty-two".getBytes(StandardCharsets.UTF_8), TTL);
        assertThat(b.get("router:answer")).hasValueSatisfying(v ->
                assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("forty-two"));
        assertThat(redis.server().pttl(RedisSharedState.PREFIX + "router:answer")).isBetween(1L, TTL.toMillis());
        b.delete("router:answer");
        assertThat(a.get("router:answer")).isEmpty();
    }

    @Test
    void reservationsFromTwoNodesAtOnceNeverPassTheLimit() throws Exception {
        SharedState a = node().state();
        SharedState b = node().state();
        int callers = 64;
        long amount = 7;
        long limit = 100;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<SharedState.Reservation>> work = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            SharedState on = i % 2 == 0 ? a : b;
            work.add(() -> {
                start.await();
                return on.reserve("budget", amount, limit, TTL);
            });
        }
        List<Future<SharedState.Reservation>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            work.forEach(w -> answers.add(pool.submit(w)));
            start.countDown();
            long granted = 0;
            for (Future<SharedState.Reservation> f : answers) {
                SharedState.Reservation r = f.get();
                assertThat(r.total()).isLessThanOrEqualTo(limit);
                if (r.granted()) {
                    granted++;
                }
            }
            assertThat(granted).isEqualTo(limit / amount);
        }
        assertThat(redis.server().cli("GET", RedisSharedState.PREFIX + "budget")).isEqualTo(Long.toString(limit / amount * amount));
        assertThat(redis.server().pttl(RedisSharedState.PREFIX + "budget")).isBetween(1L, TTL.toMillis());
        assertThat(b.reserve("budget", amount, limit, TTL)).isEqualTo(new SharedState.Reservation(false, 98));
        assertThat(a.adjust("budget", -10, TTL)).isEqualTo(88);
        assertThat(b.reserve("budget", amount, limit, TTL)).isEqualTo(new SharedState.Reservation(true, 95));
    }

    @Test
    void whileRedisIsDownEveryOperationFailsWithAClearError() throws Exception {
        Store store = node();
        SharedState state = store.state();
        redis.server().kill();
        RedisStoreTest.await("the node to report Redis down", () -> !store.health().up());
        assertThatThrownBy(() -> state.reserve("budget", 1, 10, TTL))
                .isInstanceOf(SharedStateUnavailableException.class)
                .hasMessageContaining("Redis at redis://127.0.0.1:" + redis.server().port());
        assertThatThrownBy(() -> state.get("key")).isInstanceOf(SharedStateUnavailableException.class);
    }
}
