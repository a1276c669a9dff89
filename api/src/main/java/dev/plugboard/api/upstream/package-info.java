/**
 * The client side of MCP, for plugins that talk to other MCP servers (a proxy): the host's own
 * JSON-RPC codec and transports, offered through the {@link dev.plugboard.api.upstream.UpstreamClients}
 * service, so that no plugin carries a second protocol stack. Messages cross this boundary as JSON
 * text; the plugin reads them with any JSON library (the host exports Jackson).
 *
 * <p>Transports: stdio (a child process), Streamable HTTP in the stateless revision 2026-07-28
 * (found with {@code server/discover}) and the session-based revision 2025-11-25 (with
 * {@code Last-Event-ID} resumption), and the HTTP+SSE transport of 2024-11-05.
 */
@Export
@Version("1.2.0")
package dev.plugboard.api.upstream;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
