package dev.plugboard.host.graphql;

/**
 * Who sends a GraphQL operation, as far as the schema cares.
 *
 * @param admin whether the request carried the admin credential
 * @param credentialSent whether it carried an {@code Authorization} header at all
 */
record Caller(boolean admin, boolean credentialSent) {
}
