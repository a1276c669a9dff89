/**
 * Resources: methods of an {@link dev.plugboard.api.McpProvider} component that serve data by URI,
 * either at a fixed URI ({@link dev.plugboard.api.resource.Resource}) or at every URI matching a
 * template ({@link dev.plugboard.api.resource.ResourceTemplate}).
 *
 * <p>A resource method returns a {@code String} (text), a {@code byte[]} (binary), a
 * {@link dev.plugboard.api.content.ResourceContents}, a list of them, or a record or map (served as
 * JSON). Returning {@code null} or an empty {@code Optional} means the resource does not exist. A
 * {@link dev.plugboard.api.context.RequestContext} parameter may be declared as for tools.
 */
@Export
@Version("1.1.0")
package dev.plugboard.api.resource;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
