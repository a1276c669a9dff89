package dev.plugboard.host.invoke;

import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.containment.CallHealth;
import dev.plugboard.host.containment.MemoryGuard;
import dev.plugboard.host.containment.PluginThreads;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.InputRequiredSignal;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Runs calls into plugin code, contained: each plugin's code runs on platform threads of its own
 * (reused, in the plugin's thread group), so a call that spins, blocks or pins its thread takes only
 * the plugin's own capacity, never the threads that serve transports, health or deployment.
 *
 * <p>A call is admitted when the heap has room, its plugin is not degraded and is still there (its
 * provider admits it), and a slot is free in the tool (if given), in the plugin and in the host;
 * otherwise it fails at once with a "busy" or "refused" error. Past its time limit a call is
 * interrupted and answered; the slots it holds stay taken until its thread really ends. A call
 * still running a while after it was answered is stuck: logged once, counted, and a plugin with too
 * many stuck calls is degraded until they end or the plugin is restarted.
 *
 * <p>The returned future always completes: with the value, or exceptionally with a
 * {@link PluginCallException}, an {@link McpException} (arguments that cannot be bound), an
 * {@link InputRequiredSignal} (the stateless revision needs the client's input) or a
 * {@link MissingCapabilityException}. Thread-safe.
 */
public final class Invocations implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Invocations.class.getName());

    private final CallLimits limits;
    private final PluginThreads threads;
    private final MemoryGuard memory;
    private final Semaphore total;
    private final Map<Long, PluginCalls> plugins = new ConcurrentHashMap<>();
    private final List<PluginCalls> stopped = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor timer;
    private final CallWatch watch;
    private final FailureLog failures = new FailureLog();
    private BundleContext watched;
    private SynchronousBundleListener listener;

    /**
     * Default limits with the given time limit.
     *
     * @param timeout the longest a call may run before it is cancelled
     */
    public Invocations(Duration timeout) {
        this(CallLimits.withTimeout(timeout), new PluginThreads());
    }

    /**
     * @param limits the limits of every call
     * @param threads the plugins' thread groups
     */
    public Invocations(CallLimits limits, PluginThreads threads) {
        this.limits = limits;
        this.threads = threads;
        this.memory = new MemoryGuard(limits.memoryGuardPercent());
        this.total = new Semaphore(limits.maxTotal());
        this.timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("plugboard-call-timer").factory());
        timer.setRemoveOnCancelPolicy(true);
        this.watch = new CallWatch(each -> {
            plugins.values().forEach(each);
            stopped.forEach(each);
        });
    }

    /** Plugin code to run. */
    @FunctionalInterface
    public interface PluginCall<T> {
        /** Runs on the call's thread. */
        T call() throws Exception;
    }

    /** The plugins' thread groups, which other code that runs plugin code should use too. */
    public PluginThreads threads() {
        return threads;
    }

    /**
     * Follows the bundles of a framework: when one stops, its threads and capacity are retired (the
     * next start gets fresh ones, and a degraded plugin recovers), and threads it left running are
     * reported.
     */
    public synchronized void watch(BundleContext context) {
        listener = event -> {
            if (event.getType() == BundleEvent.STOPPED || event.getType() == BundleEvent.UNINSTALLED) {
                retire(event.getBundle().getBundleId(), event.getBundle().getSymbolicName());
            }
        };
        watched = context;
        context.addBundleListener(listener);
    }

    /** The state of every plugin's calls, by bundle id. */
    public List<CallHealth> health() {
        stopped.removeIf(p -> !p.active());
        Map<Long, CallHealth> byBundle = new LinkedHashMap<>();
        List<PluginCalls> all = new ArrayList<>(plugins.values());
        all.addAll(stopped);
        for (PluginCalls p : all) {
            byBundle.merge(p.bundleId(), p.health(), (a, b) -> {
                List<String> left = new ArrayList<>(a.leakedThreads());
                left.addAll(b.leakedThreads());
                return new CallHealth(a.bundleId(), a.symbolicName(), a.running() + b.running(), a.stuck() + b.stuck(),
                        a.degraded() || b.degraded(), left);
            });
        }
        return byBundle.values().stream().sorted(Comparator.comparingLong(CallHealth::bundleId)).toList();
    }

    /**
     * Starts a call with the default time limit and no limit of its own.
     *
     * @param provider the plugin the code belongs to
     * @param what names the call in messages, such as {@code Tool 'hash'}
     * @param context the request's context, which this call owns from now on
     * @param call the plugin code
     */
    public <T> CompletableFuture<T> run(Provider provider, String what, CallContext context, PluginCall<T> call) {
        return run(provider, what, null, null, context, call);
    }

    /**
     * Starts a call.
     *
     * @param provider the plugin the code belongs to
     * @param what names the call in messages, such as {@code Tool 'hash'}
     * @param timeout the call's own time limit, or null for the default
     * @param permits the call's own concurrency limit (a tool's), or null for none; a permit is
     *     taken for as long as the call's thread runs
     * @param context the request's context, which this call owns from now on
     * @param call the plugin code
     */
    public <T> CompletableFuture<T> run(Provider provider, String what, Duration timeout, Semaphore permits,
            CallContext context, PluginCall<T> call) {
        if (memory.underPressure()) {
            return refused(PluginCallException.Reason.REFUSED, what + " was refused: the server is low on memory;"
                    + " try again shortly");
        }
        // Admitted by the provider first: a late call for a plugin that has gone leaves nothing behind.
        if (!provider.enter(context)) {
            return refused(PluginCallException.Reason.GONE,
                    what + " is no longer available: its plugin is being updated or removed");
        }
        PluginCalls plugin = plugins.get(provider.bundleId());
        if (plugin == null) {
            plugin = plugins.computeIfAbsent(provider.bundleId(), id -> new PluginCalls(id, provider.bundleName(),
                    threads.groupFor(id, provider.bundleName()), limits.maxPerPlugin(), limits.maxStuckPerPlugin()));
        }
        if (plugin.degraded()) {
            provider.exit(context);
            return refused(PluginCallException.Reason.DEGRADED, what + " was refused: its plugin "
                    + provider.bundleName() + " is degraded (" + plugin.stuck()
                    + " of its calls are stuck); it takes no new calls until they end or it is restarted");
        }
        if (permits != null && !permits.tryAcquire()) {
            provider.exit(context);
            return refused(PluginCallException.Reason.BUSY, what + " is busy: too many calls are running;"
                    + " try again shortly");
        }
        if (!total.tryAcquire()) {
            provider.exit(context);
            release(permits);
            return refused(PluginCallException.Reason.BUSY, what + " is busy: the server runs its maximum of "
                    + limits.maxTotal() + " plugin calls; try again shortly");
        }
        if (!plugin.tryEnter()) {
            provider.exit(context);
            total.release();
            release(permits);
            return refused(PluginCallException.Reason.BUSY, what + " is busy: its plugin " + provider.bundleName()
                    + " runs its maximum of " + limits.maxPerPlugin() + " calls; try again shortly");
        }
        return start(plugin, provider, what, timeout == null ? limits.timeout() : timeout, permits, context, call);
    }

    private <T> CompletableFuture<T> start(PluginCalls plugin, Provider provider, String what, Duration timeout,
            Semaphore permits, CallContext context, PluginCall<T> call) {
        RunningCall running = new RunningCall(what, provider, context.caller());
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable work = () -> {
            Object outcome = null;
            boolean ok = false;
            Thread self = Thread.currentThread();
            plugin.runs(running);
            running.runsOn(self);
            context.runningOn(self);
            try {
                if (!context.isCancelled()) {
                    outcome = call.call();
                    ok = true;
                }
            } catch (McpException | InputRequiredSignal | MissingCapabilityException e) {
                outcome = e;
            } catch (Throwable t) {
                outcome = context.isCancelled()
                        ? new PluginCallException(PluginCallException.Reason.CANCELLED,
                                what + " was cancelled: " + context.cancelReason(), t)
                        : failures.failed(running, t);
            } finally {
                context.end();
                Thread.interrupted();
                running.end();
                provider.exit(context);
                plugin.leave(running);
                total.release();
                release(permits);
            }
            if (running.answeredAs() == null) {
                // Completing runs the dependent stages here, up to writing the answer to the client.
                if (ok) {
                    @SuppressWarnings("unchecked")
                    T value = (T) outcome;
                    result.complete(value);
                } else if (outcome != null) {
                    result.completeExceptionally((Throwable) outcome);
                }
            } // else timed out or cancelled: answered already (or being answered) without waiting for it
            if (running.demoted()) {
                PluginCalls.endThisThread(); // its priority cannot be raised again for the next call
            }
        };
        running.expiresAt(running.started() + timeout.toNanos(),
                () -> expire(plugin, running, result, context, timeout));
        try {
            plugin.start(running, work);
        } catch (RejectedExecutionException e) {
            provider.exit(context);
            plugin.leaveUnstarted();
            total.release();
            release(permits);
            return refused(PluginCallException.Reason.GONE,
                    what + " is no longer available: its plugin is being updated or removed");
        }
        context.onCancel(() -> {
            if (running.ended() || running.answeredAs() != null) {
                return; // ended, or timed out (and answered so)
            }
            running.answeredAs("was cancelled (" + context.cancelReason() + ")");
            result.completeExceptionally(new PluginCallException(PluginCallException.Reason.CANCELLED,
                    what + " was cancelled: " + context.cancelReason(), null));
            watchForStuck(plugin, running);
        });
        return result;
    }

    /** Answers a call past its time limit at once and interrupts it; its slots stay taken until it ends. */
    private void expire(PluginCalls plugin, RunningCall running, CompletableFuture<?> result, CallContext context,
            Duration timeout) {
        if (running.ended() || result.isDone()) {
            return;
        }
        String limit = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
        running.answeredAs("timed out after " + limit);
        LOG.warning(() -> "Timed out: " + running.describe() + " did not finish within " + limit
                + "; it was answered and interrupted");
        // Dependent stages (writing the answer) run on a thread of their own, never on the timer.
        Thread.ofVirtual().name("call-timeout").start(() -> {
            context.cancel("the call timed out");
            result.completeExceptionally(new PluginCallException(PluginCallException.Reason.TIMED_OUT,
                    running.what() + " did not finish within " + limit + " and was cancelled", null));
        });
        watchForStuck(plugin, running);
    }

    private void watchForStuck(PluginCalls plugin, RunningCall running) {
        try {
            timer.schedule(() -> plugin.checkStuck(running), limits.stuckAfter().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * A bundle stopped: its calls' threads are retired and what it leaves running is reported, also
     * when it never had a call but other code (its activation) ran in its thread group.
     */
    private void retire(long bundleId, String symbolicName) {
        ThreadGroup group = threads.retire(bundleId);
        PluginCalls current = plugins.remove(bundleId);
        if (current == null && group == null) {
            return;
        }
        PluginCalls plugin = current != null ? current
                : new PluginCalls(bundleId, symbolicName, group, 1, limits.maxStuckPerPlugin());
        plugin.stop();
        stopped.removeIf(p -> !p.active());
        stopped.add(plugin);
        try {
            timer.schedule(plugin::reportLeftThreads, limits.stuckAfter().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private static void release(Semaphore permits) {
        if (permits != null) {
            permits.release();
        }
    }

    private static <T> CompletableFuture<T> refused(PluginCallException.Reason reason, String message) {
        return CompletableFuture.failedFuture(new PluginCallException(reason, message, null));
    }

    @Override
    public synchronized void close() {
        if (watched != null) {
            try {
                watched.removeBundleListener(listener);
            } catch (IllegalStateException e) {
                // the framework is already stopped
            }
            watched = null;
        }
        timer.shutdownNow();
        watch.close();
        plugins.values().forEach(PluginCalls::stop);
        memory.close();
    }
}
