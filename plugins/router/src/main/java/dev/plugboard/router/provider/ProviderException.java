package dev.plugboard.router.provider;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to a model that failed, with what kind of failure it was, so the router can decide to
 * retry, fall back, or give up. The message is a plain sentence fit for a client.
 */
public final class ProviderException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** 429 from the provider. */
        RATE_LIMITED(true),
        /** 5xx from the provider. */
        SERVER_ERROR(true),
        /** The connection could not be made or was reset before an answer. */
        UNREACHABLE(true),
        /** The request was refused as malformed or too long (400, 404, 413, 422): not the provider's fault. */
        REJECTED(false),
        /** The provider refused our credentials (401, 403). */
        UNAUTHORIZED(false),
        /** No answer, or no first token, in time. */
        TIMEOUT(false),
        /** The answer was not the OpenAI wire format. */
        MALFORMED(false),
        /** The stream stopped or stalled after it had started. */
        CUT(false),
        /** The model's breaker is open after repeated failures. */
        BREAKER_OPEN(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether the same model is worth trying again at once. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final int status;
    private final transient Duration retryAfter;
    private final String code;

    /**
     * @param kind what went wrong
     * @param status the provider's HTTP status, or 0
     * @param retryAfter the provider's {@code Retry-After}, or null
     * @param code the provider's error code ({@code context_length_exceeded}), or null
     * @param message a plain sentence
     */
    public ProviderException(Kind kind, int status, Duration retryAfter, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.code = code;
    }

    /** A failure without an HTTP status. */
    public ProviderException(Kind kind, String message) {
        this(kind, 0, null, null, message);
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** The provider's HTTP status, or 0. */
    public int status() {
        return status;
    }

    /** How long the provider asked us to wait, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The provider's error code, if it gave one. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** Whether the model should count this against its breaker (the provider's fault, not the request's). */
    public boolean providerFault() {
        return kind != Kind.REJECTED && kind != Kind.BREAKER_OPEN;
    }
}
