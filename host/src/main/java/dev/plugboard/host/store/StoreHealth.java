package dev.plugboard.host.store;

/**
 * The store's state, for health reports.
 *
 * @param kind {@code memory} or {@code redis}
 * @param up whether the store is reachable (always true in memory)
 * @param detail a line for operators: where the store is, and since when it is unreachable
 */
public record StoreHealth(String kind, boolean up, String detail) {
}
