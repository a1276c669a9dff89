package dev.plugboard.host.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

class EventStreamTest {

    /** Records what a subscriber is told, and requests only when the test says so. */
    private static final class Recorder implements Subscriber<Integer> {
        final List<Integer> received = new ArrayList<>();
        Subscription subscription;
        Throwable error;
        boolean completed;

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Integer item) {
            received.add(item);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    @Test
    void deliversOnlyWhatIsRequested() {
        EventStream<Integer> stream = new EventStream<>(10);
        Recorder recorder = new Recorder();
        stream.subscribe(recorder);
        stream.publish(1);
        stream.publish(2);
        stream.publish(3);
        assertThat(recorder.received).isEmpty();
        recorder.subscription.request(2);
        assertThat(recorder.received).containsExactly(1, 2);
        recorder.subscription.request(5);
        assertThat(recorder.received).containsExactly(1, 2, 3);
        stream.publish(4);
        assertThat(recorder.received).containsExactly(1, 2, 3, 4);
    }

    @Test
    void completesAfterThePendingEventsAreTaken() {
        EventStream<Integer> stream = new EventStream<>(10);
        Recorder recorder = new Recorder();
        stream.subscribe(recorder);
        stream.publish(1);
        stream.complete();
        assertThat(recorder.completed).isFalse();
        recorder.subscription.request(1);
        assertThat(recorder.received).containsExactly(1);
        assertThat(recorder.completed).isTrue();
        assertThat(stream.hasSubscribers()).isFalse();

        Recorder late = new Recorder();
        stream.subscribe(late);
        assertThat(late.completed).isTrue();
    }

    @Test
    void aSubscriberThatFallsTooFarBehindIsEndedWithBusy() {
        EventStream<Integer> stream = new EventStream<>(3);
        Recorder slow = new Recorder();
        Recorder fast = new Recorder();
        stream.subscribe(slow);
        stream.subscribe(fast);
        fast.subscription.request(Long.MAX_VALUE);
        for (int i = 0; i < 5; i++) {
            stream.publish(i);
        }
        assertThat(slow.error).isInstanceOf(GraphqlProblem.class);
        assertThat(((GraphqlProblem) slow.error).code()).isEqualTo(ErrorCode.BUSY);
        assertThat(fast.received).containsExactly(0, 1, 2, 3, 4);
        assertThat(fast.error).isNull();
    }

    @Test
    void aCancelledSubscriberHearsNothingMore() {
        EventStream<Integer> stream = new EventStream<>(10);
        Recorder recorder = new Recorder();
        stream.subscribe(recorder);
        recorder.subscription.request(10);
        stream.publish(1);
        recorder.subscription.cancel();
        stream.publish(2);
        assertThat(recorder.received).containsExactly(1);
        assertThat(stream.hasSubscribers()).isFalse();
    }

    @Test
    void aSubscriberMayRequestFromOnNextWithoutRecursion() {
        EventStream<Integer> stream = new EventStream<>(100);
        List<Integer> received = new ArrayList<>();
        stream.subscribe(new Subscriber<>() {
            Subscription s;

            @Override
            public void onSubscribe(Subscription s) {
                this.s = s;
                s.request(1);
            }

            @Override
            public void onNext(Integer item) {
                received.add(item);
                s.request(1);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        });
        for (int i = 0; i < 50; i++) {
            stream.publish(i);
        }
        assertThat(received).hasSize(50);
    }
}
