package dev.plugboard.api.catalog;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tells connected clients that something in the catalogue changed. Registered by the host as an
 * OSGi service; a plugin gets it with {@code @Reference CatalogEvents events}.
 *
 * <p>Changes caused by bundles coming and going are announced by the host itself; call these when
 * the content behind a plugin changes. Thread-safe; calls return at once.
 */
@ProviderType
public interface CatalogEvents {

    /** The resource at this URI changed: subscribed clients receive {@code notifications/resources/updated}. */
    void resourceUpdated(String uri);

    /** The set of tools changed. */
    void toolsChanged();

    /** The set of resources or resource templates changed. */
    void resourcesChanged();

    /** The set of prompts changed. */
    void promptsChanged();
}
