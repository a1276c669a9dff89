/**
 * GraphQL for plugins: a bundle adds fields to the host's {@code /graphql} schema by registering a
 * {@link dev.plugboard.api.graphql.GraphqlExtension} service (the whiteboard pattern, as
 * {@code osgi.jaxrs.resource} services add HTTP routes). The host merges each extension's SDL into
 * its schema and rebuilds it live as bundles come and go; an extension that does not merge is refused
 * alone. See {@code docs/graphql.md}.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.graphql;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
