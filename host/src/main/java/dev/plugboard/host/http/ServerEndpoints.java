package dev.plugboard.host.http;

import java.util.Optional;

/** The MCP endpoints served at {@code /servers/NAME/mcp}, looked up per request. Thread-safe. */
public interface ServerEndpoints {

    /** The path every such endpoint starts with. */
    String PREFIX = "/servers/";

    /** The endpoint of that name, if one is served now. */
    Optional<McpEndpoint> find(String name);

    /**
     * Why the caller of this request (its bound principal) may not use the endpoint of that name
     * (it needs a role the caller lacks), answered with 403; empty when it may.
     */
    default Optional<String> refuses(String name) {
        return Optional.empty();
    }

        /** What to tell a client asking for a name that is not served: unknown, or why it is not served. */
    String missing(String name);
}
