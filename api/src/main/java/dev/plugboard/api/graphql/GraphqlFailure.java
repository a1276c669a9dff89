package dev.plugboard.api.graphql;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A field's failure that the client is told about: the message and a code in the error's
 * {@code extensions.code}, plus any other {@code extensions} members (numbers, strings, booleans).
 * The message must say what went wrong in words, never with a Java class name.
 */
public class GraphqlFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    /** A variable or an argument has a wrong value. */
    public static final String BAD_USER_INPUT = "BAD_USER_INPUT";
    /** No such thing. */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** The caller may not do this. */
    public static final String FORBIDDEN = "FORBIDDEN";
    /** A limit (rate, budget) is reached; try again later. */
    public static final String RATE_LIMITED = "RATE_LIMITED";
    /** The feature is not available now (not configured, a dependency is down). */
    public static final String UNAVAILABLE = "UNAVAILABLE";

    private final String code;
    private final transient Map<String, Object> extensions;

    /**
     * A failure with a code.
     *
     * @param code upper snake case ({@code NOT_FOUND}), at most 64 characters
     */
    public GraphqlFailure(String code, String message) {
        this(code, message, Map.of());
    }

    /**
     * A failure with a code and more {@code extensions} members.
     *
     * @param code upper snake case ({@code NOT_FOUND}), at most 64 characters
     * @param extensions members beside {@code code}; a {@code code} member here is ignored
     */
    public GraphqlFailure(String code, String message, Map<String, Object> extensions) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("a GraphQL error code is upper snake case, like NOT_FOUND: " + code);
        }
        this.code = code;
        this.extensions = Map.copyOf(extensions);
    }

    /** The {@code extensions.code}. */
    public String code() {
        return code;
    }

    /** The other {@code extensions} members. */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
