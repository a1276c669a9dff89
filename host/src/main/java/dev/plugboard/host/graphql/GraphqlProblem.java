package dev.plugboard.host.graphql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure of a field that the client is told about: a code for programs and a message for people.
 * Thrown by data fetchers; the message must not carry Java class names.
 */
final class GraphqlProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String codeName;
    private final transient Map<String, Object> extensions;

    GraphqlProblem(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    /** A problem with more {@code extensions} members beside the code. */
    GraphqlProblem(ErrorCode code, String message, Map<String, Object> extensions) {
        this(code, code.name(), message, extensions);
    }

    private GraphqlProblem(ErrorCode code, String codeName, String message, Map<String, Object> extensions) {
        super(message, null, false, false);
        this.code = code;
        this.codeName = codeName;
        this.extensions = Map.copyOf(extensions);
    }

    /** A plugin's failure, with the code it chose (one of the host's or its own). */
    static GraphqlProblem ofPlugin(String code, String message, Map<String, Object> extensions) {
        ErrorCode known;
        try {
            known = ErrorCode.valueOf(code);
        } catch (IllegalArgumentException e) {
            known = ErrorCode.INTERNAL;
        }
        return new GraphqlProblem(known, code, message, extensions);
    }

    ErrorCode code() {
        return code;
    }

    /** The error's {@code extensions}: the code and any other members. */
    Map<String, Object> extensions() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", codeName);
        extensions.forEach((name, value) -> out.putIfAbsent(name, value));
        return out;
    }
}
