package dev.plugboard.host.door;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Kind;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one stream of changes that the doors show their watchers (REST {@code /api/v1/events}, GraphQL
 * subscriptions): numbered events, the latest of which are kept so that a watcher that reconnects
 * with the last number it saw gets what it missed. The catalogue's changes arrive by themselves;
 * the deployer's module events are {@linkplain #publish published} into it. Thread-safe.
 */
public final class ChangeFeed implements AutoCloseable {

    /** The type of an event that says entries of some kinds were added, changed or removed. */
    public static final String CATALOG_CHANGED = "catalog.changed";
    /**
     * The type of the first event a watcher gets when the events after its last one are no longer
     * kept: it should read the catalogue again.
     */
    public static final String RESYNC = "resync";

    /**
     * One event.
     *
     * @param id its number: grows by one with each event, starting at 1
     * @param type what happened, such as {@value #CATALOG_CHANGED} or {@code module.installed}
     * @param at when
     * @param data the details (a JSON object)
     */
    public record Change(long id, String type, Instant at, ObjectNode data) {

        /** Rejects nulls. */
        public Change {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(data, "data");
        }
    }

    private final int kept;
    private final ArrayDeque<Change> recent = new ArrayDeque<>();
    private final List<Consumer<Change>> watchers = new CopyOnWriteArrayList<>();
    private final AutoCloseable catalogListener;
    private long last;

    /**
     * @param catalog whose changes to show
     * @param kept how many recent events to keep for watchers that reconnect
     */
    public ChangeFeed(Catalog catalog, int kept) {
        this.kept = kept;
        this.catalogListener = catalog.addListener(kinds -> catalogChanged(catalog, kinds));
    }

    private void catalogChanged(Catalog catalog, Set<Kind> kinds) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        var names = data.putArray("kinds");
        kinds.stream().map(k -> k.name().toLowerCase(Locale.ROOT)).sorted().forEach(names::add);
        data.put("revision", catalog.revision());
        publish(CATALOG_CHANGED, data);
    }

    /**
     * Adds an event and tells every watcher. Watchers are told in the order events are published.
     *
     * @param type what happened ({@code module.installed}, {@code module.updated}, {@code module.removed},
     *     {@code module.failed}, ...)
     * @param data the details
     * @return the event
     */
    public Change publish(String type, ObjectNode data) {
        synchronized (recent) {
            Change change = new Change(++last, type, Instant.now(), data.deepCopy());
            recent.addLast(change);
            if (recent.size() > kept) {
                recent.removeFirst();
            }
            for (Consumer<Change> w : watchers) {
                w.accept(change);
            }
            return change;
        }
    }

    /**
     * Starts telling a watcher of events: first those after {@code afterId} that are still kept
     * (or a {@value #RESYNC} event when some were dropped), then each new one as it is published.
     * The watcher is called under the feed's lock and must not block.
     *
     * @param afterId the number of the last event the watcher saw, or a negative number for none (it
     *     then hears only new events)
     * @return stops the watching
     */
    public AutoCloseable watch(long afterId, Consumer<Change> watcher) {
        synchronized (recent) {
            if (afterId >= 0) {
                List<Change> missed = new ArrayList<>();
                for (Change c : recent) {
                    if (c.id() > afterId) {
                        missed.add(c);
                    }
                }
                long oldest = recent.isEmpty() ? last + 1 : recent.peekFirst().id();
                if (afterId < oldest - 1 && afterId < last) {
                    watcher.accept(new Change(oldest - 1, RESYNC, Instant.now(), JsonNodeFactory.instance.objectNode()
                            .put("reason", "events after " + afterId + " are no longer kept; read the catalogue again")));
                }
                missed.forEach(watcher);
            }
            watchers.add(watcher);
        }
        return () -> watchers.remove(watcher);
    }

    /** The number of the latest event, 0 before the first. */
    public long lastId() {
        synchronized (recent) {
            return last;
        }
    }

    @Override
    public void close() throws Exception {
        catalogListener.close();
        watchers.clear();
    }
}
