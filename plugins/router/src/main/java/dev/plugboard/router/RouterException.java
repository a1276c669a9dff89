package dev.plugboard.router;

/**
 * A request the router could not answer, with the HTTP status and OpenAI error type each door maps
 * it to. The message is a plain sentence for the client.
 */
public final class RouterException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String code;
    private final long retryAfterSeconds;

    /**
     * @param status the HTTP status (400, 404, 429, 502, 503)
     * @param type the OpenAI error type ({@code invalid_request_error}, ...)
     * @param code a short code ({@code model_not_found}, {@code budget_exceeded}, ...)
     * @param retryAfterSeconds for 429 and 503: when to try again, or 0
     * @param message a plain sentence
     */
    public RouterException(int status, String type, String code, long retryAfterSeconds, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A client mistake (400). */
    public static RouterException invalid(String message) {
        return new RouterException(400, "invalid_request_error", "invalid_request", 0, message);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The OpenAI error type. */
    public String type() {
        return type;
    }

    /** A short code. */
    public String code() {
        return code;
    }

    /** Seconds to wait before trying again, or 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
