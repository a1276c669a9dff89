package dev.plugboard.api.search;

import dev.plugboard.api.catalog.CatalogItem;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A search of the catalogue. Any text is a valid query: it is never parsed as query syntax.
 *
 * @param query what to look for
 * @param mode how to match it
 * @param limit the most hits to return (1 to 100)
 * @param kinds the kinds of entries to consider; empty for all
 * @param bundles the bundles whose entries to consider; empty for all
 * @param readOnly when set, only tools whose read-only hint has this value
 * @param destructive when set, only tools whose destructive hint has this value
 */
public record SearchRequest(String query, SearchMode mode, int limit, Set<CatalogItem.Kind> kinds,
        Set<String> bundles, Boolean readOnly, Boolean destructive) {

    /** Checks the values and copies the sets. */
    public SearchRequest {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(mode, "mode");
        if (limit < 1 || limit > 100) {
            throw new IllegalArgumentException("limit must be between 1 and 100: " + limit);
        }
        kinds = kinds == null || kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        bundles = bundles == null ? Set.of() : Set.copyOf(bundles);
    }

    /** A hybrid search for ten entries of any kind. */
    public static SearchRequest of(String query) {
        return new SearchRequest(query, SearchMode.HYBRID, 10, Set.of(), Set.of(), null, null);
    }

    /** This search with another mode. */
    public SearchRequest withMode(SearchMode newMode) {
        return new SearchRequest(query, newMode, limit, kinds, bundles, readOnly, destructive);
    }

    /** This search with another limit. */
    public SearchRequest withLimit(int newLimit) {
        return new SearchRequest(query, mode, newLimit, kinds, bundles, readOnly, destructive);
    }

    /** This search restricted to some kinds. */
    public SearchRequest withKinds(Set<CatalogItem.Kind> newKinds) {
        return new SearchRequest(query, mode, limit, newKinds, bundles, readOnly, destructive);
    }

    /** This search restricted to some bundles. */
    public SearchRequest withBundles(Set<String> newBundles) {
        return new SearchRequest(query, mode, limit, kinds, newBundles, readOnly, destructive);
    }

    /** This search restricted to tools with the given read-only hint. */
    public SearchRequest withReadOnly(Boolean value) {
        return new SearchRequest(query, mode, limit, kinds, bundles, value, destructive);
    }

    /** This search restricted to tools with the given destructive hint. */
    public SearchRequest withDestructive(Boolean value) {
        return new SearchRequest(query, mode, limit, kinds, bundles, readOnly, value);
    }
}
