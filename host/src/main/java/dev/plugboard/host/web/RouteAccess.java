package dev.plugboard.host.web;

import dev.plugboard.host.security.Operation;
import java.util.Locale;
import java.util.Optional;

/**
 * What a plugin's route asks of a caller before the request reaches it: the service property
 * {@value #PROPERTY} of its resource.
 */
public enum RouteAccess {
    /** No credential asked: the resource authenticates by itself (a login page). A wrong credential is still refused. */
    PUBLIC,
    /** The caller needs a credential as for the REST catalogue (or the open loopback door lets it in). */
    CATALOG,
    /** The caller needs the admin operation, as the admin API does. */
    ADMIN;

    /** The service property naming a route's access: {@code public}, {@code catalog} (the default) or {@code admin}. */
    public static final String PROPERTY = "plugboard.http.access";

    /** The operation the gate checks beyond authentication; empty for a public route. */
    public Optional<Operation> operation() {
        return switch (this) {
            case PUBLIC -> Optional.empty();
            case CATALOG -> Optional.of(Operation.CATALOG);
            case ADMIN -> Optional.of(Operation.ADMIN);
        };
    }

    /**
     * The access a service property value names.
     *
     * @throws IllegalArgumentException when the value names none
     */
    static RouteAccess of(Object value) {
        if (value == null) {
            return CATALOG;
        }
        for (RouteAccess a : values()) {
            if (a.name().toLowerCase(Locale.ROOT).equals(value.toString().strip().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException(PROPERTY + " is '" + value + "'; it takes public, catalog or admin");
    }
}
