package dev.plugboard.host.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Decides whether a request may use the admin operations, from its {@code Authorization} header.
 * Every door (REST, GraphQL, the CLI through REST) asks this one check; a fuller identity model
 * (API keys with roles, OAuth bearer tokens) replaces the implementation, not the callers.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface AdminAccess {

    /** The message of every denial for a missing or wrong credential (the two are not told apart). */
    String DENIED_DETAIL = "admin operations need the admin key: send 'Authorization: Bearer <key>' "
            + "(the key is in <data>/admin.key)";

    /**
     * Checks a request.
     *
     * @param authorization the request's {@code Authorization} header, or null when it has none
     * @return whether it is admitted
     */
    Decision check(String authorization);

    /** The answer of {@link #check}. */
    sealed interface Decision {
    }

    /**
     * The request may proceed.
     *
     * @param principal who it acts as (for logs), never the credential
     */
    record Admitted(String principal) implements Decision {
    }

    /**
     * The request is refused.
     *
     * @param status the HTTP status to answer with (401 for a missing or wrong credential)
     * @param detail a sentence for the caller; it does not say whether a credential was sent
     * @param challenge the {@code WWW-Authenticate} value to send with a 401
     */
    record Denied(int status, String detail, String challenge) implements Decision {
    }

    /**
     * A check that admits the requests bearing this key ({@code Authorization: Bearer <key>},
     * the scheme case-insensitive), compared in constant time.
     */
    static AdminAccess bearerKey(String key) {
        byte[] expected = key.getBytes(StandardCharsets.UTF_8);
        Denied denied = new Denied(401, DENIED_DETAIL, "Bearer realm=\"plugboard-admin\"");
        return authorization -> {
            if (authorization == null) {
                return denied;
            }
            String value = authorization.trim();
            int space = value.indexOf(' ');
            if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
                return denied;
            }
            byte[] given = value.substring(space + 1).trim().getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(expected, given) ? new Admitted("admin") : denied;
        };
    }
}
