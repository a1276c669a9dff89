package dev.plugboard.host.events;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the host's {@link ChangeFeed}.
 *
 * @param id increases by one with each event of a host's run; starts at 1
 * @param type what happened
 * @param time when the feed published it
 * @param kinds for {@link EventType#CATALOG_CHANGED}: the kinds that changed ({@code tools},
 *     {@code resources}, {@code prompts}); empty otherwise
 * @param module for module events: the bundle's symbolic name, or null when a jar that is not a bundle failed
 * @param version for module events: the bundle's version, or null
 * @param file for module events: the jar's file name in the deploy folder, or null
 * @param detail a human sentence (for {@link EventType#MODULE_FAILED}: why), or null
 */
public record HostEvent(long id, EventType type, Instant time, List<String> kinds, String module, String version,
        String file, String detail) {

    /** Copies the kinds. */
    public HostEvent {
        kinds = List.copyOf(kinds);
    }
}
