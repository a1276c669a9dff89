package dev.plugboard.host.http;

import org.glassfish.grizzly.http.server.Request;

/**
 * A handler behind the front door that answers some requests without ever waiting on the thread
 * that calls it: the front door then keeps such a request, once its whole body has arrived, on the
 * network thread that read it instead of starting a virtual thread for it (as it does for tool
 * calls over MCP). The handler hands the work on and writes the answer later from the thread that
 * completes it, through a {@link HeldResponse}.
 */
public interface QuickRequests {

    /**
     * Whether this request (its whole body already read into memory) is one the handler answers
     * without waiting. Called on the network thread for every request under the handler's path
     * with a short body: must be cheap and must not read the body.
     */
    boolean answersQuickly(Request request);
}
