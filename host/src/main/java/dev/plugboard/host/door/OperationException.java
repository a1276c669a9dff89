package dev.plugboard.host.door;

import java.util.List;
import java.util.Objects;

/**
 * Why an {@link Operations} call gave no result: a {@link Kind} that each door maps to its own
 * error form (a REST status and problem type, a GraphQL {@code extensions.code}), a sentence for a
 * human, and for invalid arguments where they fail. The message never holds a class name or a
 * stack trace.
 */
public final class OperationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** No tool, resource, template or prompt by that name or URI. */
        NOT_FOUND,
        /** The arguments do not match the schema; see {@link #violations()}. */
        INVALID_ARGUMENTS,
        /** The request itself is malformed (a bad cursor, a missing parameter, an unknown mode). */
        INVALID_REQUEST,
        /** A concurrency or memory limit is reached, or the entry is being updated; retry shortly. */
        BUSY,
        /** The plugin's code overran its time limit. */
        TIMED_OUT,
        /** The plugin was removed or updated while the call ran. */
        GONE,
        /** The plugin's code failed (threw); the tool gave no result. */
        FAILED,
        /** The call was cancelled. */
        CANCELLED,
        /** The entry needs input from the client (elicitation, sampling, roots) that this door cannot give. */
        INPUT_REQUIRED,
        /** A feature that needs an absent plugin (search without the search bundle). */
        UNAVAILABLE,
        /** A rate limit of the caller's credential or of the tool is reached; retry later. */
        RATE_LIMITED,
        /** The server failed; the log has the details. */
        INTERNAL;

        /** The kind in lower case with hyphens ({@code not-found}), as problem types and error codes spell it. */
        public String slug() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One reason arguments do not match their schema.
     *
     * @param pointer the JSON pointer (RFC 6901) of the failing value within the arguments; empty for the whole
     * @param reason why it fails
     */
    public record Violation(String pointer, String reason) {

        /** Rejects nulls. */
        public Violation {
            Objects.requireNonNull(pointer, "pointer");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final Kind kind;
    private final transient List<Violation> violations;

    /**
     * @param kind what went wrong
     * @param detail a sentence for a human
     * @param violations for {@link Kind#INVALID_ARGUMENTS}, where the arguments fail; else empty
     */
    public OperationException(Kind kind, String detail, List<Violation> violations) {
        super(detail, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.violations = List.copyOf(violations);
    }

    /** An error without violations. */
    public OperationException(Kind kind, String detail) {
        this(kind, detail, List.of());
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** Where invalid arguments fail; empty for other kinds. */
    public List<Violation> violations() {
        return violations;
    }
}
