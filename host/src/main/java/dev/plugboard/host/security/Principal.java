package dev.plugboard.host.security;

import java.util.Set;

/**
 * Who a request acts for, as the security layer established it once at the door: a name, roles,
 * the rights they grant, the credential's id (for rate limits and the audit log; never the
 * credential itself) and the limits its tool calls pass.
 *
 * <p>The door binds the principal to the thread that handles the request ({@link #bind}); the engine,
 * the doors' operations and the tools' context read it with {@link #current()}. A thread with none
 * bound acts for the local user (stdio, and the host's own calls).
 *
 * @param name the principal's name ({@code anonymous} for the open local door)
 * @param roles its roles
 * @param rights what the roles (and the credential's own restriction) allow
 * @param credential an id of the credential ({@code key:<id>}, {@code oauth:<sub>}, {@code admin-key},
 *     {@code local})
 * @param limits the admission of its tool calls
 */
public record Principal(String name, Set<String> roles, Rights rights, String credential, CallLimiter limits) {

    /** The name of a caller without credentials. */
    public static final String ANONYMOUS = "anonymous";

    /** The local user: stdio, and the open loopback door (role {@code user}, every entry). */
    public static final Principal LOCAL = new Principal(ANONYMOUS, Set.of(Roles.USER),
            new Rights(Set.of(Operation.CATALOG), Globs.ALL, Globs.ALL, Globs.ALL, Globs.ALL), "local",
            CallLimiter.NONE);

    private static final ThreadLocal<Principal> CURRENT = new ThreadLocal<>();

    /** Copies the roles. */
    public Principal {
        roles = Set.copyOf(roles);
    }

    /** The principal of the request this thread handles ({@link #LOCAL} when none is bound). */
    public static Principal current() {
        Principal p = CURRENT.get();
        return p == null ? LOCAL : p;
    }

    /**
     * Binds a principal to this thread.
     *
     * @return the one bound before, for {@link #restore}
     */
    public static Principal bind(Principal principal) {
        Principal before = CURRENT.get();
        CURRENT.set(principal);
        return before;
    }

    /** Puts back what {@link #bind} returned. */
    public static void restore(Principal before) {
        if (before == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(before);
        }
    }

    /** A task that runs with this thread's current principal bound, on whichever thread runs it. */
    public static Runnable carry(Runnable task) {
        Principal p = CURRENT.get();
        if (p == null) {
            return task;
        }
        return () -> {
            Principal before = bind(p);
            try {
                task.run();
            } finally {
                restore(before);
            }
        };
    }
}
