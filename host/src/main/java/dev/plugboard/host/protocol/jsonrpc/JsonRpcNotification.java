package dev.plugboard.host.protocol.jsonrpc;

import java.util.Objects;

/**
 * A notification, which has no id and gets no response.
 *
 * @param method the method name; never null
 * @param params the parameters: a {@link com.fasterxml.jackson.databind.JsonNode} when decoded, any
 *     serialisable object when built by the server, or null when absent
 */
public record JsonRpcNotification(String method, Object params) implements JsonRpcMessage {

    /** Rejects a null method. */
    public JsonRpcNotification {
        Objects.requireNonNull(method, "method");
    }
}
