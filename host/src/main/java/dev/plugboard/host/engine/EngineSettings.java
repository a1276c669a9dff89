package dev.plugboard.host.engine;

import java.util.Objects;

/**
 * Settings of the protocol engine.
 *
 * @param serverName the server's programmatic name, sent in {@code serverInfo}
 * @param serverVersion the server's version
 * @param instructions instructions for the model, sent at initialisation; null for none
 * @param pageSize how many items a list page holds
 */
public record EngineSettings(String serverName, String serverVersion, String instructions, int pageSize) {

    /** Checks the values. */
    public EngineSettings {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(serverVersion, "serverVersion");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
    }
}
