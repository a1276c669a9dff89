package dev.plugboard.host.graphql;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A hot stream of events for GraphQL subscriptions: each subscriber gets the events published
 * after it subscribed, as fast as it requests them. A subscriber that falls more than
 * {@code buffer} events behind is ended with an error rather than holding memory without bound.
 *
 * @param <T> the event type
 */
final class EventStream<T> implements Publisher<T> {

    private final int buffer;
    private final Set<Feed> feeds = ConcurrentHashMap.newKeySet();
    private volatile boolean completed;

    EventStream(int buffer) {
        this.buffer = buffer;
    }

    @Override
    public void subscribe(Subscriber<? super T> subscriber) {
        Feed feed = new Feed(subscriber);
        feeds.add(feed);
        subscriber.onSubscribe(feed);
        if (completed) {
            feed.complete();
        }
    }

    /** Sends an event to every current subscriber. */
    void publish(T event) {
        for (Feed feed : feeds) {
            feed.offer(event);
        }
    }

    /** Ends the stream: every subscriber is completed, and so is every later one. */
    void complete() {
        completed = true;
        for (Feed feed : feeds) {
            feed.complete();
        }
    }

    /** Whether any subscriber is still attached. */
    boolean hasSubscribers() {
        return !feeds.isEmpty();
    }

    private final class Feed implements Subscription {
        private final Subscriber<? super T> subscriber;
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<T> pending = new ArrayDeque<>();
        private long demand;
        private boolean done;
        private boolean completing;
        private boolean draining;

        Feed(Subscriber<? super T> subscriber) {
            this.subscriber = subscriber;
        }

        void offer(T event) {
            boolean overflow = false;
            lock.lock();
            try {
                if (done) {
                    return;
                }
                if (pending.size() >= buffer) {
                    overflow = true;
                    done = true;
                    pending.clear();
                } else {
                    pending.add(event);
                }
            } finally {
                lock.unlock();
            }
            if (overflow) {
                feeds.remove(this);
                subscriber.onError(new GraphqlProblem(ErrorCode.BUSY,
                        "the subscriber fell more than " + buffer + " events behind"));
                return;
            }
            drain();
        }

        void complete() {
            lock.lock();
            try {
                completing = true;
            } finally {
                lock.unlock();
            }
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 (rule 3.9)"));
                return;
            }
            lock.lock();
            try {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            } finally {
                lock.unlock();
            }
            drain();
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                done = true;
                pending.clear();
            } finally {
                lock.unlock();
            }
            feeds.remove(this);
        }

        /** Delivers what is pending and requested, on one thread at a time and never re-entrantly. */
        private void drain() {
            lock.lock();
            try {
                if (draining) {
                    return;
                }
                draining = true;
            } finally {
                lock.unlock();
            }
            while (true) {
                T next = null;
                boolean finish = false;
                lock.lock();
                try {
                    if (!done && demand > 0 && !pending.isEmpty()) {
                        next = pending.poll();
                        demand--;
                    } else if (!done && completing && pending.isEmpty()) {
                        done = true;
                        finish = true;
                    } else {
                        draining = false;
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                if (finish) {
                    feeds.remove(this);
                    subscriber.onComplete();
                    lock.lock();
                    try {
                        draining = false;
                    } finally {
                        lock.unlock();
                    }
                    return;
                }
                subscriber.onNext(next);
            }
        }
    }
}
