package dev.plugboard.host.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * A handler built on a thread of its own, when start-up is over ({@link #beginBuilding}) or when its
 * first request comes, whichever is first: building a Jersey application (REST) takes longer than
 * everything else a client's first {@code initialize} needs, and would share the CPU with it. A
 * request that arrives before the build is done waits for it (requests other than tool calls run on
 * virtual threads of their own).
 */
final class BuiltInBackground extends HttpHandler implements QuickRequests {

    private static final Logger LOG = Logger.getLogger(BuiltInBackground.class.getName());

    private final String name;
    private final Supplier<HttpHandler> build;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<HttpHandler> built = new CompletableFuture<>();

    /**
     * A handler to build later.
     *
     * @param name what is built, for the thread's name and the log
     * @param build builds the handler
     */
    BuiltInBackground(String name, Supplier<HttpHandler> build) {
        this.name = name;
        this.build = build;
    }

    /** Starts building, unless that has started already. */
    void beginBuilding() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
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
        beginBuilding();
        HttpHandler handler;
        try {
            handler = built.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the " + name + " handler could not be built", e.getCause());
        }
        handler.service(request, response);
    }
}
