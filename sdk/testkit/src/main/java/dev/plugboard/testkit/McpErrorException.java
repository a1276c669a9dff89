package dev.plugboard.testkit;

/**
 * A JSON-RPC error the host answered with, such as {@code -32602} for arguments that do not match
 * the tool's schema or an unknown tool.
 */
public final class McpErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;

    McpErrorException(int code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The JSON-RPC error code. */
    public int code() {
        return code;
    }
}
