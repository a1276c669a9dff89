package dev.plugboard.api.graphql;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A plugin's part of the host's GraphQL schema. Register an implementation as an OSGi service; the
 * host reads {@link #schema()} when the service comes and serves its fields until the service goes.
 *
 * <p>The service property {@value #ACCESS} says what a caller needs for every field of the
 * extension: {@code catalog} (the default: the credential the catalogue asks) or {@code admin}. A
 * single field can ask for the admin credential with the host's {@code @admin} directive instead.
 */
@ConsumerType
@FunctionalInterface
public interface GraphqlExtension {

    /** The service property naming the access every field of the extension asks: {@code catalog} or {@code admin}. */
    String ACCESS = "plugboard.graphql.access";

    /**
     * The SDL and the data fetchers. Called once each time the host rebuilds its schema; must not
     * block.
     */
    GraphqlSchema schema();
}
