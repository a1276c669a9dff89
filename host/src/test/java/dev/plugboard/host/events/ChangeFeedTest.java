package dev.plugboard.host.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChangeFeedTest {

    /** Collects events into a queue; {@link #closed} counts down when the subscription ends. */
    private static class Collector implements ChangeFeed.Subscriber {
        final BlockingQueue<HostEvent> events = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile String reason;

        @Override
        public void onEvent(HostEvent event) {
            events.add(event);
        }

        @Override
        public void closed(String why) {
            reason = why;
            closed.countDown();
        }

        List<Long> take(int n) throws InterruptedException {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HostEvent e = events.poll(10, TimeUnit.SECONDS);
                assertThat(e).as("event %d of %d", i + 1, n).isNotNull();
                ids.add(e.id());
            }
            return ids;
        }
    }

    @Test
    void idsIncreaseByOneAndEventsCarryTheirFields() {
        try (ChangeFeed feed = new ChangeFeed()) {
            HostEvent a = feed.catalogChanged(List.of("TOOLS", "PROMPTS"));
            HostEvent b = feed.module(EventType.MODULE_INSTALLED, "x.y", "1.0.0", "x.jar", null);
            assertThat(a.id()).isEqualTo(1);
            assertThat(b.id()).isEqualTo(2);
            assertThat(a.type().wireName()).isEqualTo("catalog.changed");
            assertThat(a.kinds()).containsExactly("prompts", "tools");
            assertThat(b.type().wireName()).isEqualTo("module.installed");
            assertThat(b.module()).isEqualTo("x.y");
            assertThat(feed.lastId()).isEqualTo(2);
        }
    }

    @Test
    void aSubscriberResumesAfterTheLastIdItSawThenGetsNewEvents() throws InterruptedException {
        try (ChangeFeed feed = new ChangeFeed(10)) {
            for (int i = 0; i < 5; i++) {
                feed.catalogChanged(List.of("tools"));
            }
            Collector c = new Collector();
            try (ChangeFeed.Subscription s = feed.subscribe(3, c)) {
                assertThat(s.missedEvents()).isFalse();
                feed.catalogChanged(List.of("tools"));
                assertThat(c.take(3)).containsExactly(4L, 5L, 6L);
            }
        }
    }

    @Test
    void replayFromAnIdThatLeftTheBacklogSaysEventsWereMissed() throws InterruptedException {
        try (ChangeFeed feed = new ChangeFeed(3)) {
            for (int i = 0; i < 10; i++) {
                feed.catalogChanged(List.of("tools"));
            }
            Collector c = new Collector();
            try (ChangeFeed.Subscription s = feed.subscribe(2, c)) {
                assertThat(s.missedEvents()).isTrue();
                assertThat(c.take(3)).containsExactly(8L, 9L, 10L);
            }
            Collector upToDate = new Collector();
            try (ChangeFeed.Subscription s = feed.subscribe(10, upToDate)) {
                assertThat(s.missedEvents()).isFalse();
            }
            Collector newOnly = new Collector();
            try (ChangeFeed.Subscription s = feed.subscribe(-1, newOnly)) {
                assertThat(s.missedEvents()).isFalse();
                feed.catalogChanged(List.of("tools"));
                assertThat(newOnly.take(1)).containsExactly(11L);
            }
        }
    }

    @Test
    void aStuckSubscriberNeitherBlocksThePublisherNorTheOthersAndIsDropped() throws InterruptedException {
        try (ChangeFeed feed = new ChangeFeed()) {
            CountDownLatch release = new CountDownLatch(1);
            Collector stuck = new Collector() {
                @Override
                public void onEvent(HostEvent event) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            Collector healthy = new Collector();
            feed.subscribe(-1, stuck);
            feed.subscribe(-1, healthy);
            int published = ChangeFeed.SUBSCRIBER_QUEUE + 10;
            for (int i = 0; i < published; i++) {
                // The healthy subscriber takes each event before the next: on a busy machine its thread could
                // otherwise start late and fall behind too.
                long id = feed.catalogChanged(List.of("tools")).id();
                assertThat(healthy.take(1)).containsExactly(id);
            }
            release.countDown();
            assertThat(stuck.closed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stuck.reason).contains("fell more than");
            assertThat(feed.subscribers()).isEqualTo(1);
        }
    }

    @Test
    void closingASubscriptionOrTheFeedTellsTheSubscriberOnce() throws InterruptedException {
        ChangeFeed feed = new ChangeFeed();
        Collector a = new Collector();
        Collector b = new Collector();
        ChangeFeed.Subscription sa = feed.subscribe(0, a);
        feed.subscribe(0, b);
        sa.close();
        assertThat(a.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(a.reason).isEqualTo("closed");
        feed.close();
        assertThat(b.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(b.reason).contains("feed is closed");
        Collector late = new Collector();
        feed.subscribe(0, late);
        assertThat(late.closed.getCount()).isZero();
    }

    @Test
    void aSubscriberThatThrowsIsDroppedAndTheOthersCarryOn() throws InterruptedException {
        try (ChangeFeed feed = new ChangeFeed()) {
            Collector failing = new Collector() {
                @Override
                public void onEvent(HostEvent event) {
                    throw new IllegalStateException("boom");
                }
            };
            Collector healthy = new Collector();
            feed.subscribe(-1, failing);
            feed.subscribe(-1, healthy);
            feed.catalogChanged(List.of("tools"));
            feed.catalogChanged(List.of("tools"));
            assertThat(failing.closed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(failing.reason).contains("boom");
            assertThat(healthy.take(2)).containsExactly(1L, 2L);
        }
    }
}
