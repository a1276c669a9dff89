/**
 * The client side of MCP, for plugins that talk to other MCP servers (a proxy): the host's own
 * JSON-RPC codec and transports, offered through the {@link dev.plugboard.api.upstream.UpstreamClients}
 * service, so that no plugin carries a second protocol stack. Messages cross this boundary as JSON
 * text; the plugin reads them with any JSON library (the host exports Jackson).
 *
 * <p>Transports now: stdio (a child process) and Streamable HTTP in the session-based revision
 * 2025-11-25. Not yet: the stateless 2026-07-28 revision and the 2024-11-05 HTTP+SSE transport.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.upstream;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
