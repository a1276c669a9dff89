package dev.plugboard.host.security;

import java.util.Set;
import java.util.function.Consumer;

/**
 * What the nodes of one deployment share for security, when a store shared by them is configured
 * (Redis): the counters behind rate limits, so that a credential's limit holds across every node, and
 * the API keys revoked, so that a key revoked on one node is refused by all.
 */
public interface SharedSecurity {

    /** The counters every node counts in. */
    RateCounters counters();

    /**
     * Tells every node that keys were revoked here.
     *
     * @param digests the SHA-256 digests (hex) of the keys revoked
     */
    void revoke(Set<String> digests);

    /**
     * Where the keys revoked on any node are told: at once with those revoked so far, then as they are
     * revoked (and all of them again after the store was out of reach).
     */
    void onRevoked(Consumer<Set<String>> revoked);
}
