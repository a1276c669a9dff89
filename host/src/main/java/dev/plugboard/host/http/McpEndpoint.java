package dev.plugboard.host.http;

import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.session.Sessions;

/**
 * One more MCP endpoint served by the front door besides {@code /mcp} (a virtual server at
 * {@code /servers/NAME/mcp}): its own engine and sessions, the same transport, checks and limits.
 * Made by {@link HttpFrontDoor#endpoint}; close it when the endpoint goes.
 */
public final class McpEndpoint implements AutoCloseable {

    private final McpHttpHandler handler;

    McpEndpoint(McpHttpHandler handler) {
        this.handler = handler;
    }

    McpHttpHandler handler() {
        return handler;
    }

    /** Stops the endpoint's helper threads; its sessions are closed by their owner. */
    @Override
    public void close() {
        handler.close();
    }
}
