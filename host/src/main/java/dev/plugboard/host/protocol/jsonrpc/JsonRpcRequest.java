package dev.plugboard.host.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A request, which expects a response carrying the same id.
 *
 * @param id a string or integral number; never null
 * @param method the method name; never null
 * @param params the parameters object, or null when absent
 */
public record JsonRpcRequest(JsonNode id, String method, JsonNode params) implements JsonRpcMessage {

    /** Checks that the id is a string or a number. */
    public JsonRpcRequest {
        Objects.requireNonNull(method, "method");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            throw new IllegalArgumentException("a request id must be a string or an integer");
        }
    }
}
