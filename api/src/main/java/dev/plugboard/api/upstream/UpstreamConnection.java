package dev.plugboard.api.upstream;

import dev.plugboard.api.context.RequestContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open connection to an upstream MCP server, after its handshake. Implemented by the host;
 * thread-safe: any number of requests may be in flight at once.
 */
@ProviderType
public interface UpstreamConnection extends AutoCloseable {

    /** The protocol revision agreed in the handshake, such as {@code 2025-11-25}. */
    String protocolVersion();

    /**
     * The {@code result} of the server's {@code initialize} answer as JSON text; for the stateless
     * revision, that of its {@code server/discover} answer.
     */
    String initializeResult();

    /**
     * Sends a request.
     *
     * @param method the method, such as {@code tools/list}
     * @param params the params object as JSON text, or null for none
     * @param context when not null, the request is made on that client request's behalf: the
     *     server's progress and log messages for it are reported to it, and what the server asks of
     *     the client while answering ({@code elicitation/create}, {@code sampling/createMessage},
     *     {@code roots/list}, or a stateless input-required result) is asked of that context's
     *     client, in whichever revision the client speaks, and answered to the server. When that
     *     client must answer with a retry (the stateless revision), the future fails with the
     *     host's signal for it, an {@link Error} the caller rethrows unchanged
     * @return completes with the {@code result} as JSON text; exceptionally with an
     *     {@link UpstreamException} (the server's error, or the connection's failure). Cancelling
     *     the future tells the server ({@code notifications/cancelled}).
     */
    CompletableFuture<String> request(String method, String params, RequestContext context);

    /**
     * Sends a request that its caller gives up after a time limit, as
     * {@link #request(String, String, RequestContext)} does, with the limit known to the transport:
     * where it can (a JSON answer from a plain {@code http} server), the host sends the request and
     * reads its answer on the calling thread, within the limit, and returns a future that is already
     * complete. When the limit passes first, the future fails with a
     * {@link java.util.concurrent.TimeoutException} and the server is told (as for a cancel). The
     * caller still waits on the future under its limit, for the answers that come otherwise (an
     * event stream). By default, the request as above.
     *
     * @param timeLimit how long the caller waits for the answer
     * @since 1.2
     */
    default CompletableFuture<String> request(String method, String params, RequestContext context,
            Duration timeLimit) {
        return request(method, params, context);
    }

    /** Whether the connection is still open (a stdio server's process runs, the HTTP session was not ended). */
    boolean isOpen();

    /** Ends the connection: ends the session or the process; requests in flight fail. Idempotent. */
    @Override
    void close();
}
