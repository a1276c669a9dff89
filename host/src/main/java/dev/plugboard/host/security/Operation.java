package dev.plugboard.host.security;

import java.util.Locale;

/** What a role may do besides using the catalogue entries its globs cover. */
public enum Operation {
    /** List, describe, call and search tools, read resources, render prompts, watch changes. */
    CATALOG,
    /** Administer modules and plugin configuration (REST, GraphQL mutations, CLI). */
    ADMIN,
    /** Create, list and revoke API keys; read the audit log. */
    KEYS;

    /** The name in {@code security.json}: {@code catalog}, {@code admin}, {@code keys}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The operation of a name in {@code security.json}. */
    static Operation parse(String name) {
        for (Operation o : values()) {
            if (o.wireName().equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown operation '" + name + "' (known: catalog, admin, keys)");
    }
}
