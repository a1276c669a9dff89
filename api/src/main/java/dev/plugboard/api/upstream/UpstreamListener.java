package dev.plugboard.api.upstream;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears what an upstream server sends on its own. Called on a thread of the connection, one call at
 * a time; must not block for long.
 */
@ConsumerType
@FunctionalInterface
public interface UpstreamListener {

    /**
     * The server sent a notification (such as {@code notifications/tools/list_changed}).
     *
     * @param method the notification's method
     * @param params its params as JSON text, or null
     */
    void notified(String method, String params);

    /**
     * The connection ended without {@link UpstreamConnection#close()} (the process exited, the
     * server went away). Called at most once.
     *
     * @param reason what happened, in one sentence
     */
    default void closed(String reason) {
    }
}
