package dev.plugboard.host.protocol.lifecycle;

import java.util.Map;

/**
 * What the server offers; an absent member is a feature not offered.
 *
 * @param tools tools, with list-change notifications
 * @param resources resources, with subscriptions and list-change notifications
 * @param prompts prompts, with list-change notifications
 * @param logging log messages to the client
 * @param completions argument completion
 */
public record ServerCapabilities(ListChanged tools, Resources resources, ListChanged prompts,
        Map<String, Object> logging, Map<String, Object> completions) {

    /** Everything Plugboard serves. */
    public static final ServerCapabilities ALL = new ServerCapabilities(new ListChanged(true),
            new Resources(true, true), new ListChanged(true), Map.of(), Map.of());

    /**
     * A feature whose list may change.
     *
     * @param listChanged whether the server notifies list changes
     */
    public record ListChanged(boolean listChanged) {
    }

    /**
     * The resources feature.
     *
     * @param subscribe whether clients may subscribe to updates of a resource
     * @param listChanged whether the server notifies list changes
     */
    public record Resources(boolean subscribe, boolean listChanged) {
    }
}
