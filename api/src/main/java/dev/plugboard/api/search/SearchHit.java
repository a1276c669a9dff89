package dev.plugboard.api.search;

import dev.plugboard.api.catalog.CatalogItem;
import java.util.Objects;

/**
 * One entry found.
 *
 * @param item the entry
 * @param score its relevance; higher is better; comparable only within one search
 */
public record SearchHit(CatalogItem item, double score) {

    /** Rejects a null item. */
    public SearchHit {
        Objects.requireNonNull(item, "item");
    }
}
