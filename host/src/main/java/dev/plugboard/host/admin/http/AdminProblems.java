package dev.plugboard.host.admin.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.admin.AdminException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * RFC 9457 problem documents for the admin resources: a stable {@code type} per error kind, the
 * status, a title, a sentence of detail, and for configuration errors the {@code key} at fault.
 */
final class AdminProblems implements ExceptionMapper<AdminException> {

    /** The media type of problem documents. */
    static final String MEDIA_TYPE = "application/problem+json";

    /** Problem types are this base followed by the kind, such as {@code .../not-found}. */
    static final String TYPE_BASE = "https://plugboard.dev/problems/";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Response toResponse(AdminException e) {
        return response(e.reason().status(), e.reason().code(), title(e.reason()), e.getMessage(), e.key(), null);
    }

    static Response response(int status, String code, String title, String detail, String key, String challenge) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", TYPE_BASE + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (key != null) {
            body.put("key", key);
        }
        Response.ResponseBuilder r = Response.status(status).type(MEDIA_TYPE).entity(body.toString());
        if (challenge != null) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return r.build();
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
