package dev.plugboard.host.rest;

import dev.plugboard.host.door.OperationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every failure of a REST request into a problem document: operations' failures by their
 * kind, Jersey's own (unknown path, wrong method, unsupported or unacceptable media type) by their
 * status, and anything else into a 500 with one log line. Registered for the whole REST application,
 * so resources that other parts of the host add get the same errors.
 */
final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    /** Failures of {@link dev.plugboard.host.door.Operations}. */
    static final class Operations implements ExceptionMapper<OperationException> {
        @Override
        public Response toResponse(OperationException e) {
            if (e.kind() == OperationException.Kind.INTERNAL) {
                LOG.warning(() -> "A REST request failed inside the host: " + e.getMessage());
            }
            return Problem.of(e).response();
        }
    }

    /** Bad parameters and bodies found by the resources. */
    static final class Problems implements ExceptionMapper<ProblemException> {
        @Override
        public Response toResponse(ProblemException e) {
            return e.problem().response();
        }
    }

    /** Jersey's refusals: 404, 405, 406, 415 and the like. */
    static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original.getStatus();
            Problem problem = switch (status) {
                case 404 -> new Problem("not-found", 404, "Not found", "nothing is served at this path; the API is"
                        + " described at /api/v1/openapi.json");
                case 405 -> new Problem("method-not-allowed", 405, "Method not allowed", "this path takes "
                        + String.join(", ", original.getAllowedMethods()));
                case 406 -> new Problem("not-acceptable", 406, "Not acceptable",
                        "this path cannot answer in the media type the Accept header asks for");
                case 415 -> new Problem("unsupported-media-type", 415, "Unsupported media type",
                        "this path takes application/json");
                case 413 -> new Problem("payload-too-large", 413, "Payload too large", "the body is too large");
                default -> status >= 500
                        ? new Problem("internal", 500, "Internal error", "Internal error")
                        : new Problem("invalid-request", status, original.getStatusInfo().getReasonPhrase(),
                                "the request is not valid here");
            };
            if (status >= 500) {
                LOG.warning(() -> "A REST request failed: " + e);
            }
            Response.ResponseBuilder b = Response.fromResponse(problem.response()).status(problem.status());
            if (e instanceof NotAllowedException) {
                b.allow(original.getAllowedMethods());
            }
            return b.build();
        }
    }

    /** Anything else is the host's bug: one line at WARNING, the trace at FINE, a 500 problem. */
    static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            LOG.warning(() -> "A REST request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
            LOG.log(Level.FINE, "Stack trace of the failed REST request", e);
            return new Problem("internal", 500, "Internal error", "Internal error").response();
        }
    }
}
