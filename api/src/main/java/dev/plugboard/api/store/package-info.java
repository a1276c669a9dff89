/**
 * State a plugin shares with itself on the other nodes of a cluster: bytes under keys with a time to
 * live, and counters that stay under a limit across nodes. The host gives each bundle its own
 * {@link dev.plugboard.api.store.SharedState} whose keys it prefixes with the bundle's symbolic
 * name, so plugins never see each other's keys. Backed by the host's Redis store when
 * {@code store.redis.url} is set ({@link dev.plugboard.api.store.SharedState#shared()} is then true),
 * else by this node's memory.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
