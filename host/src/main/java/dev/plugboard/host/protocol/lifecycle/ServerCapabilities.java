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
        Map<String, Object> logging, Map<String, Object> completions, Map<String, Object> tasks,
        Map<String, Object> extensions) {

    /** Everything Plugboard serves. */
    public static final ServerCapabilities ALL = new ServerCapabilities(new ListChanged(true),
            new Resources(true, true), new ListChanged(true), Map.of(), Map.of(), null, null);

    /** These capabilities with 2025-11-25's tasks: listed, cancellable, for {@code tools/call}. */
    public ServerCapabilities withTasks() {
        return new ServerCapabilities(tools, resources, prompts, logging, completions, Map.of("list", Map.of(),
                "cancel", Map.of(), "requests", Map.of("tools", Map.of("call", Map.of()))), extensions);
    }

    /** These capabilities with the given extensions (2026-07-28), by identifier. */
    public ServerCapabilities withExtensions(Map<String, Object> offered) {
        return new ServerCapabilities(tools, resources, prompts, logging, completions, tasks, Map.copyOf(offered));
    }

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
