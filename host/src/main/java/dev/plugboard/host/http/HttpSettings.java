package dev.plugboard.host.http;

import java.time.Duration;
import java.util.Set;

/**
 * Settings of the HTTP front door.
 *
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param allowedHosts extra names accepted in the {@code Host} header
 * @param allowedOrigins origins accepted in the {@code Origin} header (loopback origins are accepted
 *     while bound to loopback)
 * @param responseMode how {@code tools/call} is answered
 * @param keepAlive how often an idle SSE stream gets a keep-alive comment
 * @param headerTimeout how long a client may take to send a request's headers (then 408)
 * @param bodyTimeout how long reading a request body may wait for the next bytes (then 408)
 * @param maxConnections how many connections may be open at once (more are answered 503)
 */
public record HttpSettings(String host, int port, long maxBodyBytes, Set<String> allowedHosts,
        Set<String> allowedOrigins, ResponseMode responseMode, Duration keepAlive, Duration headerTimeout,
        Duration bodyTimeout, int maxConnections) {

    /** How a request that may produce notifications is answered. */
    public enum ResponseMode {
        /** SSE for tool calls (which may report progress or log), JSON for everything else. */
        AUTO,
        /** Always a single JSON response; notifications go to the session's GET stream. */
        JSON,
        /** Always SSE for requests. */
        SSE
    }
}
