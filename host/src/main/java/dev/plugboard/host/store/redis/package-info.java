/**
 * The Redis store (Lettuce): sessions as JSON values with the idle timeout as their expiry, ended
 * sessions as short-lived tombstones, and change events on one pub/sub channel. One connection for
 * commands (pipelined, reconnected automatically, commands queued while disconnected) and one for
 * pub/sub.
 */
package dev.plugboard.host.store.redis;
