package dev.plugboard.host.door;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.events.HostEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The host's change feed ({@link dev.plugboard.host.events.ChangeFeed}) as the doors show it to
 * their watchers (REST {@code /api/v1/events}): each event with its number, its type and its
 * details as a JSON object. The numbers are the host feed's, so every door numbers alike, and a
 * watcher that reconnects with the last number it saw gets what it missed. Thread-safe.
 */
public final class ChangeFeed {

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

    private final dev.plugboard.host.events.ChangeFeed source;

    /**
     * @param source the host's change feed
     */
    public ChangeFeed(dev.plugboard.host.events.ChangeFeed source) {
        this.source = source;
    }

    /**
     * Starts telling a watcher of events: first those after {@code afterId} that are still kept
     * (or a {@value #RESYNC} event when some were dropped), then each new one. The watcher is called
     * on a thread of its own; one that falls far behind is dropped.
     *
     * @param afterId the number of the last event the watcher saw, or a negative number for none (it
     *     then hears only new events)
     * @return stops the watching
     */
    public AutoCloseable watch(long afterId, Consumer<Change> watcher) {
        return source.subscribe(afterId, new dev.plugboard.host.events.ChangeFeed.Subscriber() {
            @Override
            public void onEvent(HostEvent event) {
                watcher.accept(change(event));
            }

            @Override
            public void missedEvents(long oldestKept) {
                watcher.accept(new Change(oldestKept - 1, RESYNC, Instant.now(), JsonNodeFactory.instance.objectNode()
                        .put("reason", "events after " + afterId + " are no longer kept; read the catalogue again")));
            }
        });
    }

    /** The number of the latest event, 0 before the first. */
    public long lastId() {
        return source.lastId();
    }

    /** An event of the host's feed as the doors show it. */
    public static Change change(HostEvent event) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (event.type() == dev.plugboard.host.events.EventType.CATALOG_CHANGED) {
            event.kinds().forEach(data.putArray("kinds")::add);
        } else {
            data.put("module", event.module());
            data.put("version", event.version());
            data.put("file", event.file());
            if (event.detail() != null) {
                data.put("detail", event.detail());
            }
        }
        return new Change(event.id(), event.type().wireName(), event.time(), data);
    }
}
