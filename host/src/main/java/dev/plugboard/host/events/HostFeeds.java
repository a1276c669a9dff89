package dev.plugboard.host.events;

import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.deploy.BundleDeployer;
import dev.plugboard.host.deploy.DeployEvent;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Connects the catalogue's and the deployer's notifications to a {@link ChangeFeed}. */
public final class HostFeeds {

    private static final Logger LOG = Logger.getLogger(HostFeeds.class.getName());

    private HostFeeds() {
    }

    /**
     * Publishes every catalogue change and every deployment event to the feed until the returned
     * handle is closed.
     */
    public static AutoCloseable connect(ChangeFeed feed, Catalog catalog, BundleDeployer deployer) {
        AutoCloseable fromCatalog = catalog.addListener(kinds -> feed.catalogChanged(
                kinds.stream().map(Enum::name).toList()));
        AutoCloseable fromDeployer = deployer.addListener(e -> feed.module(type(e.action()), e.symbolicName(),
                e.version(), e.file(), e.detail()));
        return () -> {
            for (AutoCloseable c : new AutoCloseable[] {fromDeployer, fromCatalog}) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(Level.FINE, "Disconnecting the change feed failed", e);
                }
            }
        };
    }

    static EventType type(DeployEvent.Action action) {
        return switch (action) {
            case INSTALLED -> EventType.MODULE_INSTALLED;
            case UPDATED -> EventType.MODULE_UPDATED;
            case STARTED -> EventType.MODULE_STARTED;
            case STOPPED -> EventType.MODULE_STOPPED;
            case REMOVED -> EventType.MODULE_REMOVED;
            case FAILED -> EventType.MODULE_FAILED;
        };
    }
}
