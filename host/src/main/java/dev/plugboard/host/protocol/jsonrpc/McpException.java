package dev.plugboard.host.protocol.jsonrpc;

/**
 * Ends the handling of a request with a JSON-RPC error.
 */
public final class McpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient Object data;

    /**
     * @param code one of {@link ErrorCodes}
     * @param message a short description for the client
     * @param data structured details for the client, or null
     */
    public McpException(int code, String message, Object data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    /** An error without data. */
    public McpException(int code, String message) {
        this(code, message, null);
    }

    /** An invalid-params error. */
    public static McpException invalidParams(String message) {
        return new McpException(ErrorCodes.INVALID_PARAMS, message);
    }

    /** The JSON-RPC error code. */
    public int code() {
        return code;
    }

    /** Structured details, or null. */
    public Object data() {
        return data;
    }

    /** The error as a response to the given request id. */
    public JsonRpcError toResponse(com.fasterxml.jackson.databind.JsonNode id) {
        return JsonRpcError.of(id, code, getMessage(), data);
    }
}
