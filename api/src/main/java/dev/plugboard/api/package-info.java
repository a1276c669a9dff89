/**
 * The entry point of the Plugboard plugin API.
 *
 * <p>A plugin is an OSGi bundle holding Declarative Services components. A component marked with
 * {@link dev.plugboard.api.McpProvider} is picked up by the host, which turns its annotated methods
 * into MCP tools (see {@link dev.plugboard.api.tool.Tool}).
 */
@Export
@Version("1.0.0")
package dev.plugboard.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
