package dev.plugboard.host.graphql;

/**
 * Who sends a GraphQL operation, as far as the schema cares.
 *
 * @param admin whether the request carried the admin credential
 * @param credentialSent whether it carried an {@code Authorization} header at all
 * @param principal who it acts for (its rights filter the catalogue), or null when the credential was refused
 * @param refusal why the credential was refused, or null
 * @param audit records an admin operation (what, outcome) in the audit log
 */
record Caller(boolean admin, boolean credentialSent, dev.plugboard.host.security.Principal principal,
        String refusal, java.util.function.BiConsumer<String, String> audit) {

    /** A caller whose admin operations are not audited. */
    Caller(boolean admin, boolean credentialSent, dev.plugboard.host.security.Principal principal, String refusal) {
        this(admin, credentialSent, principal, refusal, (what, outcome) -> { });
    }
}
