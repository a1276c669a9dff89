package dev.plugboard.host.containment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleSchedulingTest {

    /** The scheduling policy of a thread of this process (field 41 of its stat line; 5 is SCHED_IDLE). */
    private static int policy(int tid) throws Exception {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(afterName[41 - 3]);
    }

    @Test
    void aThreadMovedToTheIdleClassRunsThereWhileOthersKeepTheirs() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Integer> id = new CompletableFuture<>();
        Thread busy = Thread.ofPlatform().start(() -> {
            id.complete(IdleScheduling.currentThreadId());
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            int tid = id.get(10, TimeUnit.SECONDS);
            assertThat(tid).isPositive().isNotEqualTo(IdleScheduling.currentThreadId());
            assertThat(policy(tid)).isZero();

            assertThat(IdleScheduling.idle(tid)).isTrue();

            assertThat(policy(tid)).isEqualTo(5);
            assertThat(policy(IdleScheduling.currentThreadId())).isZero();
        } finally {
            done.countDown();
            busy.join();
        }
    }

    @Test
    void anUnknownThreadIsLeftAlone() {
        assertThat(IdleScheduling.idle(0)).isFalse();
    }
}
