package dev.plugboard.host.protocol.jsonrpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * An error response.
 *
 * @param id the request's id, or a JSON null when the request could not be read (then no id is sent)
 * @param error what went wrong
 */
public record JsonRpcError(JsonNode id, Detail error) implements JsonRpcResponse {

    /** Replaces a missing id with a JSON null. */
    public JsonRpcError {
        id = id == null ? NullNode.getInstance() : id;
        Objects.requireNonNull(error, "error");
    }

    /** An error response built from a code, a message and optional data. */
    public static JsonRpcError of(JsonNode id, int code, String message, Object data) {
        return new JsonRpcError(id, new Detail(code, message, data));
    }

    /**
     * The error object.
     *
     * @param code one of {@link ErrorCodes}
     * @param message a short description, never a stack trace
     * @param data structured details, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(int code, String message, Object data) {

        /** Rejects a null message. */
        public Detail {
            Objects.requireNonNull(message, "message");
        }
    }
}
