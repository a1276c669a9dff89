package dev.plugboard.host.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A response to a request: a result or an error.
 */
public sealed interface JsonRpcResponse extends JsonRpcMessage permits JsonRpcResult, JsonRpcError {

    /** The id of the request this answers; a JSON null only for an error about an unreadable request. */
    JsonNode id();
}
