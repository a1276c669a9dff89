package dev.plugboard.host.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.tools.CallToolResult;

/**
 * Runs one tool. The registry has already checked the arguments against the tool's input schema.
 */
@FunctionalInterface
public interface ToolHandler {

    /**
     * Calls the tool on the current thread.
     *
     * @param arguments the arguments, valid against the input schema
     * @param context the request's context
     * @return the result in wire form
     * @throws dev.plugboard.host.protocol.jsonrpc.McpException when the arguments cannot be bound
     * @throws Exception when the tool fails; the caller turns it into an error result
     */
    CallToolResult call(ObjectNode arguments, CallContext context) throws Exception;

    /**
     * Whether the tool may send progress or log messages through its context, so that a transport
     * should stream its call. True unless the handler knows better.
     */
    default boolean usesContext() {
        return true;
    }
}
