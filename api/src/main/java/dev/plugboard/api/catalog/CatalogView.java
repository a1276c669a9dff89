package dev.plugboard.api.catalog;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The current catalogue, read-only. Registered by the host as an OSGi service.
 */
@ProviderType
public interface CatalogView {

    /** Every entry, ordered by kind then key; a consistent snapshot. */
    List<CatalogItem> items();

    /**
     * A number that grows whenever the catalogue changes. It has grown by the time anyone hears of
     * the change (a client's list-changed notification, a {@link CatalogListener} call).
     */
    long revision();
}
