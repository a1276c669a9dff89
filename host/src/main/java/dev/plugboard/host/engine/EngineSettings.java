package dev.plugboard.host.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the protocol engine.
 *
 * @param serverName the server's programmatic name, sent in {@code serverInfo}
 * @param serverVersion the server's version
 * @param instructions instructions for the model, sent at initialisation; null for none
 * @param pageSize how many items a list page holds
 * @param requestStateKey the key that protects {@code requestState} (shared by every node of a deployment)
 * @param clientTimeout how long a request to the client (elicitation, sampling, roots) may take
 * @param listTtl the {@code ttlMs} of list results (stateless revision)
 * @param searchMode whether {@code tools/list} lists only the tools about the catalogue (searching,
 *     describing, and the host's {@code call_tool}), leaving the rest to be found by search
 */
public record EngineSettings(String serverName, String serverVersion, String instructions, int pageSize,
        byte[] requestStateKey, Duration clientTimeout, Duration listTtl, boolean searchMode) {

    /** Checks the values. */
    public EngineSettings {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(requestStateKey, "requestStateKey");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
    }
}
