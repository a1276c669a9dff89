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

    /**
     * Whether vector and hybrid searches use vectors yet. The index answers by full text as soon as
     * the catalogue is indexed; vectors are computed later, in the background, once something needs
     * them. Until they are ready, vector and hybrid searches answer by full text (BM25) only.
     *
     * @since 1.1
     */
    default boolean vectorsReady() {
        return true;
    }
}
