package dev.plugboard.host.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;

/**
 * Gives Jersey's error responses that carry no body (404 for an unknown path under
 * {@code /health}, 405 for another method) a problem document, like every other error.
 */
public final class ProblemBodies implements ContainerResponseFilter {

    private static final MediaType PROBLEM = MediaType.valueOf(Problems.MEDIA_TYPE);

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 400 && !response.hasEntity()) {
            response.setEntity(new String(Problems.json(response.getStatus(),
                    response.getStatusInfo().getReasonPhrase(), null), StandardCharsets.UTF_8), null, PROBLEM);
        }
    }
}
