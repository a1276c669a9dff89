package dev.plugboard.host.http;

import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.server.Response;

/**
 * An HTTP response kept open after its handler returns, so that the thread that completes the
 * request (usually the plugin's call thread) writes the answer instead of waking the request's
 * thread to write it.
 *
 * <p>It follows the hand-shake Grizzly uses itself when it runs a handler on another thread: the
 * filter chain's context is suspended before the handler returns, which also stops reading the
 * connection until the context is resumed, so the client's next request on the same connection
 * waits for this answer instead of being read into the held request. The response is marked
 * suspended (so that Grizzly leaves it open when the handler returns) and at once resumed (so that
 * a client hanging up meanwhile never makes Grizzly cancel and recycle it while the answer is still
 * being written: that write then meets a closed connection and fails quietly). {@link #release}
 * resumes the context, which finishes the response and reads the connection again. After
 * {@link #hold} the handler's thread must not touch the request or the response.
 */
public final class HeldResponse {

    private final FilterChainContext context;

    private HeldResponse(FilterChainContext context) {
        this.context = context;
    }

    /** Keeps a response open past its handler; call from the handler's thread, as its last use of it. */
    public static HeldResponse hold(Response response) {
        FilterChainContext context = response.getRequest().getContext();
        context.suspend();
        response.suspend();
        ((Response.SuspendedContextImpl) response.getSuspendContext()).markResumed();
        return new HeldResponse(context);
    }

    /**
     * Ends the held response (whatever has been written to it) and reads its connection again. Once.
     * Grizzly recycles the request's objects into this thread's cache; they go back to the network
     * thread ({@link RecycledRequests}).
     */
    public void release() {
        context.resume();
        RecycledRequests.collect();
    }
}
