package dev.plugboard.api.dynamic;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears clients subscribe to and unsubscribe from updates of a group's resources
 * ({@code resources/subscribe}, {@code resources/unsubscribe}), so that a bundle can follow the
 * resources someone watches (a proxy passes the subscription on to its upstream server). Updates
 * themselves are announced with {@link dev.plugboard.api.catalog.CatalogEvents#resourceUpdated}.
 *
 * <p>Called on the thread that handles the client's request: return quickly and do not block.
 *
 * @since 1.2
 */
@ConsumerType
@FunctionalInterface
public interface DynamicSubscriptions {

    /**
     * A session subscribed to a resource of the group (a fixed resource's URI, or a URI one of its
     * templates matches), or ended its subscription. Each session counts once per URI; a session
     * that ends without unsubscribing is not reported.
     *
     * @param uri the resource's URI
     * @param subscribed true for a new subscription, false for one ended
     */
    void changed(String uri, boolean subscribed);
}
