/**
 * Tools: methods of an {@link dev.plugboard.api.McpProvider} component that MCP clients call.
 *
 * <p>The host derives each tool's input schema (JSON Schema 2020-12) from the method's parameters,
 * validates arguments against it before the call, and maps the return value to a tool result:
 * a {@code String} becomes text content, a record becomes structured content with an output schema,
 * a {@link dev.plugboard.api.tool.ToolResult} is sent as built, and an exception becomes an error
 * result carrying its message.
 */
@Export
@Version("1.3.0")
package dev.plugboard.api.tool;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
