package dev.plugboard.api.catalog;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears about catalogue changes. Register an implementation as an OSGi service (the whiteboard
 * pattern): the host calls it once with the current catalogue, then after every change (bursts are
 * coalesced), always from one thread at a time.
 */
@ConsumerType
@FunctionalInterface
public interface CatalogListener {

    /** The catalogue is now as the view shows. */
    void catalogChanged(CatalogView catalog);
}
