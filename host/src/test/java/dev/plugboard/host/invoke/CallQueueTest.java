package dev.plugboard.host.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.host.catalog.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallQueueTest {

    private final Provider plugin = new Provider("com.example.a", "1.0.0", 7, 1, 0, false);
    private final CallQueue queue = new CallQueue(2);

    private CallQueue.Waiting offer(String what) {
        CallQueue.Waiting w = new CallQueue.Waiting(new RunningCall(what, plugin, null), () -> { });
        queue.offer(w);
        return w;
    }

    private RunningCall take() {
        CallQueue.Waiting w = (CallQueue.Waiting) queue.poll();
        return w == null ? null : w.call();
    }

    @Test
    void aLaneStartsAsManyCallsAsItMayAndOtherLanesPassItsWaitingCalls() {
        for (int i = 0; i < 5; i++) {
            offer("Tool 'spin'");
        }
        offer("Tool 'ping'");

        assertThat(take().what()).isEqualTo("Tool 'spin'");
        assertThat(take().what()).isEqualTo("Tool 'spin'");
        assertThat(queue.startable()).isEqualTo(1);
        assertThat(take().what()).isEqualTo("Tool 'ping'");
        assertThat(take()).isNull();
        assertThat(queue.size()).isEqualTo(3);
        assertThat(queue.oldestStartable()).isEqualTo(-1);
    }

    @Test
    void aCallThatEndsMakesRoomInItsLane() {
        offer("Tool 'spin'");
        offer("Tool 'spin'");
        offer("Tool 'spin'");
        RunningCall first = take();
        take();
        queue.seen(first, CallQueue.Seen.COMPUTING);
        assertThat(take()).isNull();

        queue.ended(first);

        assertThat(take()).isNotNull();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void aLaneSeenWaitingIsNotHeldBack() {
        List<RunningCall> started = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            offer("Tool 'hang'");
        }
        started.add(take());
        started.add(take());
        assertThat(take()).isNull();

        queue.seen(started.get(0), CallQueue.Seen.WAITING);

        assertThat(queue.startable()).isEqualTo(8);
        for (int i = 0; i < 8; i++) {
            assertThat(take()).isNotNull();
        }
        // Seen computing again (a call that spins after all): held back once more.
        offer("Tool 'hang'");
        queue.seen(started.get(1), CallQueue.Seen.COMPUTING);
        assertThat(take()).isNull();
    }

    @Test
    void aCallWaitingOnTheHostLetsItsLaneGoUnlessTheLaneWasSeenComputing() {
        for (int i = 0; i < 6; i++) {
            offer("Tool 'proxied'");
        }
        RunningCall first = take();
        take();
        assertThat(take()).isNull();

        queue.waitsOnHost(first);

        assertThat(queue.startable()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(take()).isNotNull();
        }

        offer("Tool 'busy'");
        offer("Tool 'busy'");
        offer("Tool 'busy'");
        RunningCall busy = take();
        take();
        queue.seen(busy, CallQueue.Seen.COMPUTING);
        queue.waitsOnHost(busy); // the watch saw it compute: that stands
        assertThat(take()).isNull();
    }

    @Test
    void aThreadWaitingToTakeIsWokenWhenItsLaneGetsRoom() throws Exception {
        offer("Tool 'spin'");
        offer("Tool 'spin'");
        offer("Tool 'spin'");
        RunningCall first = take();
        take();
        CompletableFuture<Runnable> taker = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.poll(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(taker).isNotDone();

        queue.ended(first);

        assertThat(taker.get(30, TimeUnit.SECONDS)).isNotNull();
    }
}
