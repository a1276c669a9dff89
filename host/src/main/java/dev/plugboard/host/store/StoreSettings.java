package dev.plugboard.host.store;

/**
 * The store's settings.
 *
 * @param redisUrl {@code store.redis.url}: a Redis URI as Lettuce reads it ({@code redis://},
 *     {@code rediss://}, {@code redis-sentinel://}, {@code redis-socket://}), a Redis Cluster's nodes as
 *     {@code redis-cluster://host:port,host:port} (or {@code rediss-cluster://}), or empty for the
 *     in-memory store of one node
 */
public record StoreSettings(String redisUrl) {

    /** The in-memory store. */
    public static final StoreSettings MEMORY = new StoreSettings("");

    /** Normalises a missing URL to empty. */
    public StoreSettings {
        redisUrl = redisUrl == null ? "" : redisUrl.trim();
    }

    /** Whether Redis is configured. */
    public boolean redis() {
        return !redisUrl.isEmpty();
    }
}
