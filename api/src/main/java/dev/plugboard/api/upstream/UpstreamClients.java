package dev.plugboard.api.upstream;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens connections to other MCP servers. Registered by the host as an OSGi service; each bundle
 * gets its own instance, and the connections a bundle opened are closed (their child processes
 * ended) when it releases the service. Thread-safe.
 */
@ProviderType
public interface UpstreamClients {

    /**
     * Connects and completes the protocol's handshake ({@code initialize}, then
     * {@code notifications/initialized}). Blocks until it is done, failed or past the time limit.
     *
     * @param target where the server is
     * @param timeout how long the connection and the handshake may take
     * @param listener hears the server's notifications and the end of the connection
     * @return the open connection
     * @throws UpstreamException when the server cannot be started or reached, or refuses the handshake
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    UpstreamConnection connect(UpstreamTarget target, Duration timeout, UpstreamListener listener)
            throws UpstreamException, InterruptedException;

    /**
     * Connects with a chosen protocol revision. With {@code null} the revision is negotiated: a
     * Streamable HTTP server is asked {@code server/discover} and spoken to statelessly (2026-07-28)
     * when it offers that revision, otherwise (and for stdio and HTTP+SSE) the {@code initialize}
     * handshake of 2025-11-25 runs, accepting any revision back to 2024-11-05. {@code "2026-07-28"}
     * requires the stateless revision; an older revision skips the probe.
     *
     * @param target where the server is
     * @param protocolVersion the revision to speak, or null to negotiate
     * @param timeout how long the connection and the handshake may take
     * @param listener hears the server's notifications and the end of the connection
     * @return the open connection
     * @throws UpstreamException when the server cannot be reached or does not speak the revision
     * @throws InterruptedException when the calling thread is interrupted while waiting
     * @since 1.1
     */
    UpstreamConnection connect(UpstreamTarget target, String protocolVersion, Duration timeout,
            UpstreamListener listener) throws UpstreamException, InterruptedException;
}
