package dev.plugboard.host.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A successful response.
 *
 * @param id the request's id
 * @param result the result: a JSON tree when decoded, any serialisable object when built
 */
public record JsonRpcResult(JsonNode id, Object result) implements JsonRpcResponse {

    /** Rejects nulls. */
    public JsonRpcResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(result, "result");
    }
}
