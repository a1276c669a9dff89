/**
 * Catalogue entries whose definitions arrive at run time rather than from annotated methods: a
 * bundle that learns its tools while it runs (a proxy in front of other MCP servers, a bridge to an
 * HTTP API described by a document) gets the {@link dev.plugboard.api.dynamic.DynamicCatalog}
 * service, opens a {@link dev.plugboard.api.dynamic.ToolGroup} and replaces its tools whenever they
 * change; its resources, resource templates and prompts the same way. Calls to them take the same
 * path as calls to annotated entries: argument validation against the given JSON Schema (tools),
 * the host's time and concurrency limits, the calling plugin's own threads, progress and
 * cancellation through {@link dev.plugboard.api.context.RequestContext}.
 */
@Export
@Version("1.2.0")
package dev.plugboard.api.dynamic;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
