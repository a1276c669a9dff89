package dev.plugboard.host.catalog;

/** Something the catalogue holds under a unique key (a tool's or prompt's name, a resource's URI). */
public interface CatalogEntry {

    /** The unique key. */
    String key();

    /** Where it comes from. */
    Provider provider();
}
