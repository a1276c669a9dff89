package dev.plugboard.host.events;

/** What a {@link HostEvent} reports. Each type has a stable name used on the wire (SSE, GraphQL). */
public enum EventType {
    /** Entries of some kinds (tools, resources, prompts) were added, removed or replaced. */
    CATALOG_CHANGED("catalog.changed"),
    /** A bundle was installed. */
    MODULE_INSTALLED("module.installed"),
    /** A bundle was replaced by another version of itself and started again. */
    MODULE_UPDATED("module.updated"),
    /** A bundle was started. */
    MODULE_STARTED("module.started"),
    /** A bundle was stopped. */
    MODULE_STOPPED("module.stopped"),
    /** A bundle was uninstalled. */
    MODULE_REMOVED("module.removed"),
    /** A jar could not be installed, updated or started; the event's detail says why. */
    MODULE_FAILED("module.failed");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The stable name, such as {@code module.installed}. */
    public String wireName() {
        return wireName;
    }
}
