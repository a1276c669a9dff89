package dev.plugboard.api.search;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Searches the catalogue. Registered by the search plugin as an OSGi service. Thread-safe.
 */
@ProviderType
public interface SearchService {

    /** The best entries for a request, best first. */
    List<SearchHit> search(SearchRequest request);

    /**
     * The catalogue revision the index reflects (see
     * {@link dev.plugboard.api.catalog.CatalogView#revision()}); searches see every change up to it.
     */
    long indexedRevision();
}
