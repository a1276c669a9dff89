package dev.plugboard.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateCountersTest {

    @Test
    void aWindowAdmitsExactlyItsRequestsAmong64ConcurrentCallers() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        RateCounters counters = RateCounters.inMemory(clock::get);
        List<Long> answers = race(64, () -> counters.take("k", 10, Duration.ofSeconds(60)));
        assertThat(answers.stream().filter(a -> a == 0)).hasSize(10);
        assertThat(answers.stream().filter(a -> a > 0)).hasSize(54).allMatch(a -> a <= 60_000);
        clock.addAndGet(60_000);
        assertThat(counters.take("k", 10, Duration.ofSeconds(60))).isZero();
        assertThat(counters.take("other", 10, Duration.ofSeconds(60))).isZero();
    }

    @Test
    void aConcurrencyLimitHoldsAmong64CallersAndFreesOnLeave() throws Exception {
        RateCounters counters = RateCounters.inMemory();
        List<Boolean> entered = race(64, () -> counters.enter("tool", 4));
        assertThat(entered.stream().filter(b -> b)).hasSize(4);
        counters.leave("tool");
        assertThat(counters.enter("tool", 4)).isTrue();
        assertThat(counters.enter("tool", 4)).isFalse();
    }

    @Test
    void toolCallAdmissionsCountPerToolAndPerCredential() {
        RateLimits limits = new RateLimits(new RateLimits.Limit(0, Duration.ZERO, 3),
                new RateLimits.Limit(0, Duration.ZERO, 2), Map.of("hash", new RateLimits.Limit(1, Duration.ofHours(1), 0)));
        CallLimiter limiter = limits.limiter(RateCounters.inMemory(), "key:a");
        CallLimiter.Admission first = limiter.admit("slow");
        CallLimiter.Admission second = limiter.admit("slow");
        CallLimiter.Admission third = limiter.admit("slow");
        assertThat(first.admitted()).isTrue();
        assertThat(second.admitted()).isTrue();
        assertThat(third.admitted()).isFalse();
        assertThat(third.reason()).contains("2 concurrent calls of 'slow'");
        assertThat(third.retryAfterSeconds()).isPositive();
        CallLimiter.Admission hash = limiter.admit("hash");
        assertThat(hash.admitted()).isTrue();
        assertThat(limiter.admit("other").admitted()).as("the credential's third slot is taken by hash").isFalse();
        first.close();
        first.close();
        assertThat(limiter.admit("other").admitted()).isTrue();
        CallLimiter.Admission again = limiter.admit("hash");
        assertThat(again.admitted()).isFalse();
        assertThat(again.reason()).contains("at most 1 calls of 'hash' per 3600 s");
    }

    private static <T> List<T> race(int callers, java.util.concurrent.Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
