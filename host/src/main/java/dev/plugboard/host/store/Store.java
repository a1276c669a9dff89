package dev.plugboard.host.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.deploy.BundleDeployer;
import dev.plugboard.host.embedding.SharedVectors;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.events.ChangeFeed;
import dev.plugboard.host.security.SharedSecurity;
import dev.plugboard.host.task.MemoryTaskStore;
import dev.plugboard.host.task.TaskStore;
import dev.plugboard.host.session.SessionStore;
import dev.plugboard.host.store.redis.RedisStore;
import java.time.Duration;
import java.util.Optional;

/**
 * What this node shares with the others: sessions and change events. {@link #open} gives the
 * in-memory store (nothing shared, nothing loaded) unless Redis is configured.
 */
public interface Store extends AutoCloseable {

    /**
     * Opens the configured store.
     *
     * @param settings the store's settings
     * @param mapper reads and writes stored JSON
     * @param sessionIdleTimeout how long an idle session lives (the stored sessions' expiry)
     * @throws IllegalArgumentException when the Redis URL is invalid or Redis cannot be reached at start
     */
    static Store open(StoreSettings settings, ObjectMapper mapper, Duration sessionIdleTimeout) {
        return settings.redis() ? RedisStore.connect(settings.redisUrl(), mapper, sessionIdleTimeout) : memory();
    }

    /** The store of one node alone: sessions in memory, events not relayed, tool results cached in memory. */
    static Store memory() {
        return new MemoryStore();
    }

    /** Where sessions are kept. */
    SessionStore sessions();

    /**
     * Relays changes between nodes: this node's catalogue changes and the resource updates its
     * plugins announce go to the other nodes, and theirs reach this node's clients through the
     * engine. Also gives the engine the cache of tool results, emptied when tools change.
     *
     * @return the service plugins announce changes through (to register in the framework)
     */
    CatalogEvents relay(Catalog catalog, McpEngine engine);

    /** Embedding vectors shared by the nodes, behind each node's own cache; empty for the store of one node. */
    default Optional<SharedVectors> vectors() {
        return Optional.empty();
    }

    /** Where tasks are kept: this node's memory, or the store the nodes share. */
    default TaskStore tasks() {
        return new MemoryTaskStore();
    }

    /**
     * Relays the change feed between nodes: this node's deployment events go to the others, and
     * theirs (module events, catalogue changes) join this node's feed, their detail naming the node
     * they happened on. Nothing for the store of one node.
     *
     * @return what stops relaying
     */
    default AutoCloseable relayFeed(ChangeFeed feed, BundleDeployer deployer) {
        return () -> { };
    }

    /**
     * Binds the store's own meters to the host's registry (Redis: command latencies and the
     * connection gauge, docs/observability.md); nothing for the in-memory store.
     */
    default void bindMeters(io.micrometer.core.instrument.MeterRegistry registry) {
    }

    /**
     * Rate counters and API-key revocations shared by the nodes, for {@code Security#share}; empty
     * for the store of one node.
     */
    default Optional<SharedSecurity> security() {
        return Optional.empty();
    }

    /**
     * The state plugins share across nodes (keys not yet namespaced: {@link SharedStateService}
     * prefixes each bundle's): this node's memory for the store of one node. Called once.
     */
    default dev.plugboard.api.store.SharedState state() {
        return new MemorySharedState();
    }

    /** Whether the store is reachable, for {@code /health/ready}. */
    StoreHealth health();

    @Override
    void close();
}
