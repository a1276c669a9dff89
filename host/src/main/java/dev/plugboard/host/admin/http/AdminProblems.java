package dev.plugboard.host.admin.http;

import dev.plugboard.host.admin.AdminException;
import dev.plugboard.host.door.OperationException;
import dev.plugboard.host.rest.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/**
 * The REST API's problem documents for refused admin operations: the type is the reason's code
 * ({@code .../problems/not-found}, {@code .../too-large}, ...), and a configuration error names its
 * key as a violation whose pointer is {@code /<key>}.
 */
final class AdminProblems implements ExceptionMapper<AdminException> {

    @Override
    public Response toResponse(AdminException e) {
        List<OperationException.Violation> violations = e.key() == null ? List.of()
                : List.of(new OperationException.Violation("/" + e.key().replace("~", "~0").replace("/", "~1"),
                        e.getMessage()));
        return new Problem(e.reason().code(), e.reason().status(), title(e.reason()), e.getMessage(), violations)
                .response();
    }

    /** The 401 of a request without the admin key (or with a wrong one). */
    static Response unauthorized(int status, String detail, String challenge) {
        return Response.fromResponse(new Problem("unauthorized", status, "Unauthorized", detail).response())
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    private static String title(AdminException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> "Not found";
            case TOO_LARGE -> "Upload too large";
            case NOT_A_JAR -> "Not a jar file";
            case NOT_A_BUNDLE -> "Not an OSGi bundle";
            case UNRESOLVABLE -> "Bundle does not resolve";
            case EXIT_CALL -> "Bundle would end the host";
            case START_FAILED -> "Bundle failed to start";
            case CONFLICT -> "Conflict";
            case URL_NOT_ALLOWED -> "URL not allowed";
            case URL_FAILED -> "URL could not be downloaded";
            case INVALID_CONFIG -> "Invalid configuration";
            case BAD_REQUEST -> "Bad request";
        };
    }
}
