package dev.plugboard.api.client;

import java.util.Objects;

/**
 * One of the client's roots.
 *
 * @param uri the root's URI, such as {@code file:///home/user/project}
 * @param name a human-readable name, or null
 */
public record Root(String uri, String name) {

    /** Rejects a null URI. */
    public Root {
        Objects.requireNonNull(uri, "uri");
    }
}
