package dev.plugboard.api.upstream;

/**
 * A request to an upstream server failed: the server answered with an error, or the connection
 * failed before it could answer.
 */
public class UpstreamException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The code of a failure that is the connection's, not the server's answer. */
    public static final int CONNECTION_FAILED = 0;

    private final int code;

    /**
     * @param code the server's JSON-RPC error code, or {@link #CONNECTION_FAILED}
     * @param message what went wrong, in one sentence
     */
    public UpstreamException(int code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * @param message what went wrong with the connection, in one sentence
     * @param cause the underlying failure
     */
    public UpstreamException(String message, Throwable cause) {
        super(message, cause);
        this.code = CONNECTION_FAILED;
    }

    /** The server's JSON-RPC error code, or {@link #CONNECTION_FAILED}. */
    public int code() {
        return code;
    }

    /** Whether the connection failed (as opposed to the server answering with an error). */
    public boolean connectionFailed() {
        return code == CONNECTION_FAILED;
    }
}
