package dev.plugboard.host.security;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Creating, listing and revoking API keys for a principal: the one implementation behind REST
 * ({@code /api/v1/keys}), GraphQL ({@code apiKeys}, {@code createApiKey}, {@code revokeApiKey}) and the
 * command line ({@code plugboard keys}). It checks the {@code keys} right itself (a door's own check
 * comes first, this one holds whatever path reached it), refuses unknown roles, lets only an admin
 * create keys whose role grants administration, and writes every creation, revocation and refusal to
 * the audit log. The key itself is only in what {@link #create} returns. Thread-safe.
 */
public final class KeyManagement {

    /** Why an operation was refused. */
    public enum Failure {
        /** The principal lacks the {@code keys} right. */
        FORBIDDEN,
        /** A bad name, role, glob or expiry. */
        INVALID,
        /** A key of that name exists. */
        CONFLICT,
        /** No key of that name or id. */
        NOT_FOUND
    }

    /** A refused operation; its message is a sentence for the caller (never a key). */
    public static final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final Failure failure;

        Refused(Failure failure, String message) {
            super(message, null, false, false);
            this.failure = failure;
        }

        /** Why. */
        public Failure failure() {
            return failure;
        }
    }

    /**
     * What a new key should be.
     *
     * @param name who or what it is for (unique)
     * @param roles its roles, at least one
     * @param tools tool globs it is restricted to; empty for its roles' tools
     * @param expires when it stops working ({@code 30d}, {@code 12h}, {@code 2027-01-31}, an instant), or null
     */
    public record Request(String name, List<String> roles, List<String> tools, String expires) {
        /** Copies the lists (null is empty). */
        public Request {
            roles = roles == null ? List.of() : List.copyOf(roles);
            tools = tools == null ? List.of() : List.copyOf(tools);
        }
    }

    /** What a principal without the {@code keys} right is told. */
    public static final String NEEDS_RIGHT = "managing API keys needs the 'keys' right";

    private final ApiKeys keys;
    private final Supplier<Roles> roles;
    private final AuditLog audit;

    /**
     * @param keys the key file
     * @param roles the roles in force now (they may change while the server runs)
     * @param audit where creations, revocations and refusals are written
     */
    public KeyManagement(ApiKeys keys, Supplier<Roles> roles, AuditLog audit) {
        this.keys = keys;
        this.roles = roles;
        this.audit = audit;
    }

    /**
     * Every key, oldest first (never the keys themselves).
     *
     * @throws Refused {@link Failure#FORBIDDEN} without the {@code keys} right
     */
    public List<ApiKeys.Key> list(Principal who) {
        check(who, "keys.list");
        return keys.list();
    }

    /**
     * Makes a key.
     *
     * @return the key as stored and the key itself, to be shown once
     * @throws Refused when the principal may not, or the request is not valid
     */
    public ApiKeys.Created create(Principal who, Request request) {
        check(who, "keys.add");
        try {
            Roles known = roles.get();
            for (String role : request.roles()) {
                if (!known.exists(role)) {
                    throw new IllegalArgumentException("unknown role '" + role + "' (known: "
                            + String.join(", ", known.names()) + ")");
                }
                Rights granted = known.rightsOf(List.of(role));
                if (!who.rights().may(Operation.ADMIN) && (granted.may(Operation.ADMIN) || granted.may(Operation.KEYS))) {
                    // a key manager who is not an admin cannot mint keys stronger than itself
                    throw new IllegalArgumentException("role '" + role + "' grants administration; only an admin may"
                            + " create keys with it");
                }
            }
            if (!who.rights().may(Operation.ADMIN)) {
                // nor keys that reach tools it cannot reach itself
                for (String glob : request.tools().isEmpty() ? List.of("*") : request.tools()) {
                    if (!who.rights().mayUseTool(glob)) {
                        throw new IllegalArgumentException("tools '" + glob + "' reach beyond your own; only an"
                                + " admin may create keys for tools it cannot call itself");
                    }
                }
            }
            Instant expires = request.expires() == null ? null : ApiKeys.expiry(request.expires(), Instant.now());
            ApiKeys.Created created = keys.add(request.name(), request.roles(), request.tools(), expires);
            audit.record(who.name(), who.credential(), "keys.add " + created.key().name(), "done",
                    "roles " + created.key().roles() + ", tools " + created.key().tools());
            return created;
        } catch (IllegalArgumentException e) {
            audit.record(who.name(), who.credential(), "keys.add", "refused", e.getMessage());
            throw new Refused(e.getMessage().contains("exists already") ? Failure.CONFLICT : Failure.INVALID,
                    e.getMessage());
        }
    }

    /**
     * Revokes a key by name or id; it is refused at once.
     *
     * @return the key revoked
     * @throws Refused {@link Failure#FORBIDDEN} without the right, {@link Failure#NOT_FOUND} when there is no such key
     */
    public ApiKeys.Key revoke(Principal who, String nameOrId) {
        check(who, "keys.revoke");
        if (!who.rights().may(Operation.ADMIN)) {
            Roles known = roles.get();
            boolean administers = keys.named(nameOrId)
                    .map(k -> known.rightsOf(k.roles())).filter(r -> r.may(Operation.ADMIN) || r.may(Operation.KEYS))
                    .isPresent();
            if (administers) {
                String why = "only an admin may revoke a key whose role grants administration";
                audit.record(who.name(), who.credential(), "keys.revoke " + nameOrId, "denied", why);
                throw new Refused(Failure.FORBIDDEN, why);
            }
        }
        ApiKeys.Key gone = keys.revoke(nameOrId == null ? "" : nameOrId).orElseThrow(() -> new Refused(
                Failure.NOT_FOUND, "no API key named '" + nameOrId + "'"));
        audit.record(who.name(), who.credential(), "keys.revoke " + gone.name(), "done", null);
        return gone;
    }

    private void check(Principal who, String what) {
        if (!who.rights().may(Operation.KEYS)) {
            audit.record(who.name(), who.credential(), what, "denied", NEEDS_RIGHT);
            throw new Refused(Failure.FORBIDDEN, NEEDS_RIGHT);
        }
    }
}
