package dev.plugboard.host.invoke;

import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.InputRequiredSignal;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs calls into plugin code: admitted by the plugin's provider (so that a plugin going away can
 * drain them), on a virtual thread, under a time limit, and ended at once by cancellation.
 *
 * <p>The returned future always completes: with the value, or exceptionally with a
 * {@link PluginCallException}, an {@link McpException} (arguments that cannot be bound), an
 * {@link InputRequiredSignal} (the stateless revision needs the client's input) or a
 * {@link MissingCapabilityException}.
 */
public final class Invocations {

    private static final Logger LOG = Logger.getLogger(Invocations.class.getName());

    private final Duration timeout;

    /**
     * @param timeout the longest a call may run before it is cancelled
     */
    public Invocations(Duration timeout) {
        this.timeout = timeout;
    }

    /** Plugin code to run. */
    @FunctionalInterface
    public interface PluginCall<T> {
        /** Runs on the call's thread. */
        T call() throws Exception;
    }

    /**
     * Starts a call.
     *
     * @param provider the plugin the code belongs to
     * @param what names the call in messages, such as {@code Tool 'hash'}
     * @param context the request's context, which this call owns from now on
     * @param call the plugin code
     */
    public <T> CompletableFuture<T> run(Provider provider, String what, CallContext context, PluginCall<T> call) {
        if (!provider.enter(context)) {
            return CompletableFuture.failedFuture(new PluginCallException(PluginCallException.Reason.GONE,
                    what + " is no longer available: its plugin is being updated or removed", null));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        context.onCancel(() -> result.completeExceptionally(new PluginCallException(
                PluginCallException.Reason.CANCELLED, what + " was cancelled: " + context.cancelReason(), null)));
        Thread.ofVirtual().name("call-" + what).start(() -> {
            context.runningOn(Thread.currentThread());
            try {
                if (!context.isCancelled()) {
                    result.complete(call.call());
                }
            } catch (McpException | InputRequiredSignal | MissingCapabilityException e) {
                result.completeExceptionally(e);
            } catch (Throwable t) {
                result.completeExceptionally(context.isCancelled()
                        ? new PluginCallException(PluginCallException.Reason.CANCELLED,
                                what + " was cancelled: " + context.cancelReason(), t)
                        : failed(what, t));
            } finally {
                context.end();
                Thread.interrupted();
                provider.exit(context);
            }
        });
        return result.exceptionallyCompose(failure -> {
            if (failure instanceof java.util.concurrent.TimeoutException) {
                context.cancel("the call timed out");
                return CompletableFuture.failedFuture(new PluginCallException(PluginCallException.Reason.TIMED_OUT,
                        what + " did not finish within " + timeout.toSeconds() + " s and was cancelled", null));
            }
            return CompletableFuture.failedFuture(failure);
        });
    }

    private static PluginCallException failed(String what, Throwable t) {
        if (t instanceof ToolException) {
            LOG.log(Level.FINE, what + " reported an error", t);
        } else {
            LOG.log(Level.WARNING, what + " failed", t);
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        return new PluginCallException(PluginCallException.Reason.FAILED, message, t);
    }
}
