/**
 * Where the host keeps what several nodes share: sessions, and the events that tell every node's
 * clients about a change made on one of them. In memory (this node only) unless
 * {@code store.redis.url} names a Redis server ({@code store.redis}); the Redis classes are loaded
 * only then.
 */
package dev.plugboard.host.store;
