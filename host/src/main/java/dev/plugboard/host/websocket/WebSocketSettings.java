package dev.plugboard.host.websocket;

import java.time.Duration;

/**
 * Settings of the MCP-over-WebSocket door ({@code websocket.*} in {@code plugboard.properties}).
 *
 * @param enabled whether the door takes upgrades of {@link McpWebSocketDoor#PATH} (off by default)
 * @param pingInterval how often the server pings each connection
 * @param idleTimeout how long a connection may send nothing at all (no message, no pong) before the
 *     server closes it; longer than the ping interval, so a live client that answers pings stays
 */
public record WebSocketSettings(boolean enabled, Duration pingInterval, Duration idleTimeout) {

    /** Checks that a live client, answering every ping, is never closed as idle. */
    public WebSocketSettings {
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("setting 'websocket.idleTimeoutSeconds' must be greater than"
                    + " 'websocket.pingSeconds' (" + idleTimeout.toSeconds() + " <= " + pingInterval.toSeconds() + ")");
        }
    }
}
