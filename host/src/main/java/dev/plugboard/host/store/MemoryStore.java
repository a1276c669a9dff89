package dev.plugboard.host.store;

import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Kind;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.session.SessionStore;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The store of one node alone: sessions in memory, events not relayed, tool results cached in memory. */
final class MemoryStore implements Store {

    private static final Logger LOG = Logger.getLogger(MemoryStore.class.getName());

    private volatile AutoCloseable listening = () -> { };

    @Override
    public SessionStore sessions() {
        return SessionStore.LOCAL;
    }

    @Override
    public CatalogEvents relay(Catalog catalog, McpEngine engine) {
        MemoryResultCache results = new MemoryResultCache();
        engine.cacheResults(results);
        listening = catalog.addListener(kinds -> {
            if (kinds.contains(Kind.TOOLS) || kinds.contains(Kind.RESOURCES)) {
                results.clear();
            }
        });
        return engine.events();
    }

    @Override
    public StoreHealth health() {
        return new StoreHealth("memory", true, "sessions and events of this node only");
    }

    @Override
    public void close() {
        try {
            listening.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Removing the catalogue listener failed", e);
        }
    }
}
