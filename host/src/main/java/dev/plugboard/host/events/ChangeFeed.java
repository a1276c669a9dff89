package dev.plugboard.host.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The host's one feed of changes: catalogue changes and what became of deployed modules, numbered
 * in order, with a bounded backlog so that a client that reconnects resumes after the last id it saw
 * (SSE {@code Last-Event-ID}, GraphQL subscriptions).
 *
 * <p>Publishing never blocks: each subscriber has a queue of its own drained by a virtual thread; a
 * subscriber that falls so far behind that its queue fills is dropped (its
 * {@link Subscriber#closed} says so) rather than slowing the publisher or the others. Thread-safe.
 */
public final class ChangeFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChangeFeed.class.getName());

    /** How many events a feed keeps for replay unless told otherwise. */
    public static final int DEFAULT_BACKLOG = 1024;

    /** How many undelivered events a subscriber may have before it is dropped. */
    static final int SUBSCRIBER_QUEUE = 1024;

    /** Receives a feed's events, in order, on a thread of its own (it may block; the feed does not wait). */
    public interface Subscriber {

        /** The next event. An exception thrown here ends the subscription. */
        void onEvent(HostEvent event);

        /**
         * Called first, before any event, when some events after the id asked for had already left
         * the backlog: the subscriber should read the state again (the catalogue, the modules).
         *
         * @param oldestKept the id of the oldest event still kept (replay starts there)
         */
        default void missedEvents(long oldestKept) {
        }

        /**
         * The subscription ended: it was closed, the feed closed, or the subscriber fell behind.
         *
         * @param reason why, as a sentence
         */
        default void closed(String reason) {
        }
    }

    /**
     * A live subscription.
     */
    public interface Subscription extends AutoCloseable {

        /**
         * Whether events the subscriber asked to replay had already left the backlog (it saw
         * every event after its id only when this is false).
         */
        boolean missedEvents();

        /** Stops delivery; the subscriber's {@link Subscriber#closed} is called once. */
        @Override
        void close();
    }

    private final int backlogSize;
    private final ArrayDeque<HostEvent> backlog = new ArrayDeque<>();
    private final Set<Delivery> deliveries = new CopyOnWriteArraySet<>();
    private long lastId;
    private boolean closed;

    /** A feed keeping {@link #DEFAULT_BACKLOG} events. */
    public ChangeFeed() {
        this(DEFAULT_BACKLOG);
    }

    /**
     * @param backlogSize how many of the latest events are kept for replay (at least 1)
     */
    public ChangeFeed(int backlogSize) {
        if (backlogSize < 1) {
            throw new IllegalArgumentException("backlogSize must be at least 1");
        }
        this.backlogSize = backlogSize;
    }

    /**
     * Publishes that entries of these kinds changed.
     *
     * @param kinds lower-case kind names ({@code tools}, {@code resources}, {@code prompts})
     */
    public HostEvent catalogChanged(Collection<String> kinds) {
        return publish(EventType.CATALOG_CHANGED, kinds.stream().map(k -> k.toLowerCase(Locale.ROOT)).sorted().toList(),
                null, null, null, null);
    }

    /**
     * Publishes what became of a module.
     *
     * @param type one of the {@code MODULE_*} types
     * @param module the bundle's symbolic name, or null
     * @param version the bundle's version, or null
     * @param file the jar's file name, or null
     * @param detail a sentence, or null
     */
    public HostEvent module(EventType type, String module, String version, String file, String detail) {
        if (type == EventType.CATALOG_CHANGED) {
            throw new IllegalArgumentException("use catalogChanged for catalogue changes");
        }
        return publish(type, List.of(), module, version, file, detail);
    }

    private HostEvent publish(EventType type, List<String> kinds, String module, String version, String file,
            String detail) {
        HostEvent event;
        synchronized (backlog) {
            event = new HostEvent(++lastId, type, Instant.now(), kinds, module, version, file, detail);
            if (closed) {
                return event;
            }
            backlog.addLast(event);
            if (backlog.size() > backlogSize) {
                backlog.removeFirst();
            }
            for (Delivery d : deliveries) {
                d.offer(event);
            }
        }
        return event;
    }

    /** The id of the latest event; 0 before the first. */
    public long lastId() {
        synchronized (backlog) {
            return lastId;
        }
    }

    /** The kept events with an id greater than this, oldest first. */
    public List<HostEvent> since(long afterId) {
        synchronized (backlog) {
            return backlog.stream().filter(e -> e.id() > afterId).toList();
        }
    }

    /**
     * Subscribes to the events after this id: the kept ones at once, then each new one.
     *
     * @param afterId the last id the subscriber saw; {@link #lastId()} (or a negative number) for new
     *     events only, 0 for everything kept
     * @param subscriber receives the events on a virtual thread of this subscription
     */
    public Subscription subscribe(long afterId, Subscriber subscriber) {
        synchronized (backlog) {
            Delivery d = new Delivery(subscriber);
            if (closed) {
                d.end("the change feed is closed");
                return d;
            }
            List<HostEvent> replay = afterId < 0 ? List.of() : since(afterId);
            long oldestKept = backlog.isEmpty() ? lastId + 1 : backlog.peekFirst().id();
            d.missed = afterId >= 0 && afterId < lastId && afterId + 1 < oldestKept;
            d.oldestKept = oldestKept;
            for (HostEvent e : replay) {
                d.offer(e);
            }
            if (d.endReason != null) {
                return d;
            }
            deliveries.add(d);
            d.thread = Thread.ofVirtual().name("change-feed-subscriber").start(d::run);
            return d;
        }
    }

    /** How many subscriptions are live. */
    public int subscribers() {
        return deliveries.size();
    }

    @Override
    public void close() {
        List<Delivery> all;
        synchronized (backlog) {
            closed = true;
            all = new ArrayList<>(deliveries);
        }
        all.forEach(d -> d.end("the change feed is closed"));
    }

    private final class Delivery implements Subscription {
        private static final HostEvent END = new HostEvent(-1, EventType.CATALOG_CHANGED, Instant.EPOCH, List.of(),
                null, null, null, null);

        private final Subscriber subscriber;
        private final BlockingQueue<HostEvent> queue = new ArrayBlockingQueue<>(SUBSCRIBER_QUEUE + 1);
        private volatile String endReason;
        private volatile Thread thread;
        private boolean missed;
        private long oldestKept;

        Delivery(Subscriber subscriber) {
            this.subscriber = subscriber;
        }

        /** Called under the feed's lock; never blocks. */
        void offer(HostEvent event) {
            if (endReason != null) {
                return;
            }
            if (queue.size() >= SUBSCRIBER_QUEUE || !queue.offer(event)) {
                end("the subscriber fell more than " + SUBSCRIBER_QUEUE + " events behind");
            }
        }

        void run() {
            try {
                if (missed) {
                    subscriber.missedEvents(oldestKept);
                }
                while (true) {
                    HostEvent e = queue.take();
                    if (e == END) {
                        break;
                    }
                    subscriber.onEvent(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                endReason = endReason != null ? endReason : "the subscriber failed: " + e.getMessage();
                LOG.log(Level.FINE, "A change feed subscriber failed", e);
            } finally {
                deliveries.remove(this);
                try {
                    subscriber.closed(endReason == null ? "closed" : endReason);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "A change feed subscriber failed on close", e);
                }
            }
        }

        void end(String reason) {
            synchronized (this) {
                if (endReason != null) {
                    return;
                }
                endReason = reason;
            }
            deliveries.remove(this);
            queue.clear();
            queue.offer(END);
            if (thread == null) {
                try {
                    subscriber.closed(reason);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "A change feed subscriber failed on close", e);
                }
            }
        }

        @Override
        public boolean missedEvents() {
            return missed;
        }

        @Override
        public void close() {
            end("closed");
        }
    }
}
