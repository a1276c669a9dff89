package dev.plugboard.host.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * A handler that is built on a thread of its own while the server already answers MCP: building a
 * Jersey application (the probes, REST) takes longer than everything else a client's first
 * {@code initialize} needs. A request that arrives before the build is done waits for it (requests
 * other than tool calls run on virtual threads of their own).
 */
final class BuiltInBackground extends HttpHandler implements QuickRequests {

    private static final Logger LOG = Logger.getLogger(BuiltInBackground.class.getName());

    private final String name;
    private final CompletableFuture<HttpHandler> built = new CompletableFuture<>();

    /**
     * Starts building.
     *
     * @param name what is built, for the thread's name and the log
     * @param build builds the handler
     */
    BuiltInBackground(String name, Supplier<HttpHandler> build) {
        this.name = name;
        Thread.ofPlatform().daemon().name("build-" + name).start(() -> {
            try {
                built.complete(build.get());
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "Building the " + name + " handler failed; its requests get 500", e);
                built.completeExceptionally(e);
            }
        });
    }

    /** Until the handler is built, nothing is quick: the request waits for it on a virtual thread. */
    @Override
    public boolean answersQuickly(Request request) {
        HttpHandler handler = built.state() == Future.State.SUCCESS ? built.resultNow() : null;
        return handler instanceof QuickRequests quick && quick.answersQuickly(request);
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        HttpHandler handler;
        try {
            handler = built.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the " + name + " handler could not be built", e.getCause());
        }
        handler.service(request, response);
    }
}
