package dev.plugboard.host.engine;

/** The front door a request came through, for those who observe requests ({@link RequestObserver}). */
public enum Door {
    /** MCP over Streamable HTTP ({@code /mcp}). */
    MCP,
    /** The REST API ({@code /api/v1}). */
    REST,
    /** GraphQL ({@code /graphql}). */
    GRAPHQL,
    /** MCP over standard input and output. */
    STDIO,
    /** MCP over WebSocket ({@code /mcp/ws}, off unless {@code websocket.enabled}). */
    WEBSOCKET
}
