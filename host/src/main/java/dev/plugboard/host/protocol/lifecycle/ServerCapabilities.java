package dev.plugboard.host.protocol.lifecycle;

import java.util.Map;

/**
 * What the server offers; an absent member is a feature not offered.
 *
 * @param tools tools, with list-change notifications
 * @param logging log messages to the client ({@code logging/setLevel})
 */
public record ServerCapabilities(ListChanged tools, Map<String, Object> logging) {

    /**
     * A feature whose list may change.
     *
     * @param listChanged whether the server notifies list changes
     */
    public record ListChanged(boolean listChanged) {
    }
}
