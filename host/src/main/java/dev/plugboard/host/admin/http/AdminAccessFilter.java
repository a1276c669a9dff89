package dev.plugboard.host.admin.http;

import dev.plugboard.host.admin.AdminAccess;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import dev.plugboard.host.security.HttpGate;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;

/**
 * Refuses every request under the admin paths ({@code /api/v1/modules}, {@code /api/v1/config},
 * {@code /api/v1/admin})
 * that {@link AdminAccess} does not admit, with a 401 problem document (the same for a missing and
 * a wrong key). It runs before the request is matched to a resource and before its body is read,
 * so that without the key nothing about the admin API is told: not even which methods, paths or
 * media types it takes.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class AdminAccessFilter implements ContainerRequestFilter {

    /** The paths only admins may use, with everything below them. */
    static final List<String> ADMIN_PATHS = List.of("/api/v1/modules", "/api/v1/config", "/api/v1/admin");

    private final AdminAccess access;

    AdminAccessFilter(AdminAccess access) {
        this.access = access;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (isAdminPath(request.getUriInfo().getRequestUri().getRawPath())
                && access.check(request.getHeaderString(HttpHeaders.AUTHORIZATION)) instanceof AdminAccess.Denied denied) {
            request.abortWith(AdminProblems.unauthorized(denied.status(), denied.detail(), denied.challenge()));
        }
    }

    static boolean isAdminPath(String rawPath) {
        if (rawPath == null) {
            return false;
        }
        // as Jersey matches it (no matrix parameters, decoded); plain paths, every REST call's, need no work
        boolean plain = rawPath.indexOf(';') < 0 && rawPath.indexOf('%') < 0 && !rawPath.contains("//");
        String path = plain ? rawPath : HttpGate.canonical(rawPath);
        for (String prefix : ADMIN_PATHS) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
