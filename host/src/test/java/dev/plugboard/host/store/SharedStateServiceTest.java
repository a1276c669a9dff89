package dev.plugboard.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.store.SharedState;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each bundle's view of the shared state keeps to its own keys; in memory, entries expire. */
class SharedStateServiceTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    @Test
    void twoBundlesNeverSeeEachOthersKeys() {
        MemorySharedState store = new MemorySharedState();
        SharedState router = SharedStateService.namespaced(store, "dev.plugboard.router");
        SharedState other = SharedStateService.namespaced(store, "com.example.other");
        router.put("k", new byte[] {1}, TTL);
        assertThat(other.get("k")).isEmpty();
        assertThat(router.get("k")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
        assertThat(store.get("dev.plugboard.router:k")).isPresent();
        assertThat(router.shared()).isFalse();
    }

    @Test
    void badKeysAndTimesAreRefusedWithAPlainMessage() {
        SharedState state = SharedStateService.namespaced(new MemorySharedState(), "b");
        assertThatThrownBy(() -> state.get(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a shared key must be 1 to 1024 characters");
        assertThatThrownBy(() -> state.put("k", new byte[0], Duration.ZERO))
                .hasMessage("a shared entry needs a positive time to live");
        assertThatThrownBy(() -> state.reserve("k", -1, 10, TTL)).hasMessageContaining("cannot be negative");
    }

    @Test
    void countersReserveUpToTheLimitAndExpireWithTheirTimeToLive() {
        AtomicLong now = new AtomicLong();
        MemorySharedState store = new MemorySharedState(now::get);
        assertThat(store.reserve("c", 6, 10, TTL)).isEqualTo(new SharedState.Reservation(true, 6));
        assertThat(store.reserve("c", 6, 10, TTL)).isEqualTo(new SharedState.Reservation(false, 6));
        assertThat(store.adjust("c", -2, TTL)).isEqualTo(4);
        assertThat(store.reserve("c", 6, 10, TTL)).isEqualTo(new SharedState.Reservation(true, 10));
        now.addAndGet(TTL.toNanos() + 1);
        assertThat(store.reserve("c", 6, 10, TTL)).isEqualTo(new SharedState.Reservation(true, 6));
    }
}
