package dev.plugboard.host.admin.http;

import dev.plugboard.host.admin.AdminAccess;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Refuses requests to {@link AdminOnly} resources that {@link AdminAccess} does not admit, with a
 * 401 problem document (the same for a missing and a wrong key) before the body is read.
 */
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
final class AdminAccessFilter implements ContainerRequestFilter {

    private final AdminAccess access;

    AdminAccessFilter(AdminAccess access) {
        this.access = access;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (access.check(request.getHeaderString(HttpHeaders.AUTHORIZATION)) instanceof AdminAccess.Denied denied) {
            request.abortWith(AdminProblems.unauthorized(denied.status(), denied.detail(), denied.challenge()));
        }
    }
}
