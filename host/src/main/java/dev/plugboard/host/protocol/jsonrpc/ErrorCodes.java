package dev.plugboard.host.protocol.jsonrpc;

/**
 * JSON-RPC error codes used by MCP.
 */
public final class ErrorCodes {

    /** The message is not valid JSON. */
    public static final int PARSE_ERROR = -32700;
    /** The JSON is not a valid JSON-RPC message, or the message is not allowed here. */
    public static final int INVALID_REQUEST = -32600;
    /** The method does not exist or is not available. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** The parameters or tool arguments are invalid. */
    public static final int INVALID_PARAMS = -32602;
    /** The server failed. */
    public static final int INTERNAL_ERROR = -32603;
    /** The server refuses new work for now: a limit (sessions, concurrent calls, memory) is reached; retry later. */
    public static final int SERVER_BUSY = -32005;
    /** A rate limit of the caller's credential or of the tool is reached; {@code data.retryAfterSeconds} says when to retry. */
    public static final int RATE_LIMITED = -32029;
    /** The requested resource does not exist (2025-11-25). */
    public static final int RESOURCE_NOT_FOUND = -32002;
    /** An HTTP header disagrees with the body (2026-07-28). */
    public static final int HEADER_MISMATCH = -32020;
    /** The client lacks a capability the request needs (2026-07-28). */
    public static final int MISSING_CAPABILITY = -32021;
    /** The protocol version is not supported (2026-07-28). */
    public static final int UNSUPPORTED_VERSION = -32022;

    private ErrorCodes() {
    }
}
