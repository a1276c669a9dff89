package dev.plugboard.host.invoke;

import dev.plugboard.host.containment.CallHealth;
import dev.plugboard.host.containment.PluginThreads;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The calls of one plugin (bundle) from its start until it stops: the platform threads that run its
 * code (in the plugin's thread group, reused between calls), its share of the host's capacity, and
 * its calls that ran on past their answer (stuck).
 */
final class PluginCalls {

    private static final Logger LOG = Logger.getLogger(Invocations.class.getName());

    private static final ThreadLocal<Boolean> ENDING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final long bundleId;
    private final String bundleName;
    private final ThreadGroup group;
    private final ThreadPoolExecutor pool;
    private final Semaphore slots;
    private final int maxStuck;
    private final Set<RunningCall> running = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean degraded = new AtomicBoolean();
    private volatile boolean stopped;

    PluginCalls(long bundleId, String bundleName, ThreadGroup group, int maxCalls, int maxStuck) {
        this.bundleId = bundleId;
        this.bundleName = bundleName;
        this.group = group;
        this.slots = new Semaphore(maxCalls);
        this.maxStuck = maxStuck;
        ThreadFactory threads = Thread.ofPlatform().group(group).daemon().name("plugin-call-" + bundleName + "-", 1)
                .uncaughtExceptionHandler(PluginCalls::uncaught).factory();
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            if (ENDING.get()) {
                // The pool replaces a thread that ends; a thread started by this one would inherit its
                // lowered priority, so the replacement waits for the next call instead.
                return null;
            }
            workers.removeIf(t -> !t.isAlive());
            Thread t = threads.newThread(r);
            t.setPriority(Thread.NORM_PRIORITY);
            workers.add(t);
            return t;
        });
    }

    /**
     * Ends the calling pool thread once its call is done (its task unwinds with a marker that the
     * pool's threads drop silently); the pool starts a fresh thread for the next call.
     */
    static void endThisThread() {
        ENDING.set(Boolean.TRUE);
        throw ThreadEnds.INSTANCE;
    }

    /** The marker with which a call thread leaves its pool. */
    private static final class ThreadEnds extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final ThreadEnds INSTANCE = new ThreadEnds();

        private ThreadEnds() {
            super("the call thread ends", null, false, false);
        }
    }

    private static void uncaught(Thread t, Throwable e) {
        if (e != ThreadEnds.INSTANCE) {
            LOG.warning(() -> "A plugin call thread " + t.getName() + " ended by " + e);
        }
    }

    /** Runs an action for each call of the plugin that runs now. */
    void forEachRunning(java.util.function.Consumer<RunningCall> action) {
        running.forEach(action);
    }

    long bundleId() {
        return bundleId;
    }

    String bundleName() {
        return bundleName;
    }

    /** Takes one of the plugin's slots; false when all are taken. */
    boolean tryEnter() {
        return slots.tryAcquire();
    }

    /** Starts an admitted call on one of the plugin's threads. */
    void start(RunningCall call, Runnable work) throws RejectedExecutionException {
        running.add(call);
        try {
            ((Executor) pool).execute(work);
        } catch (RejectedExecutionException e) {
            running.remove(call);
            throw e;
        }
    }

    /** Gives back the slot of a call that was admitted but never started. */
    void leaveUnstarted() {
        slots.release();
    }

    /** Gives back what an admitted call held once its thread left the plugin's code (or never got there). */
    void leave(RunningCall call) {
        running.remove(call);
        slots.release();
        if (call.stuck()) {
            LOG.info(() -> "Stuck call " + call.describe() + " ended after " + RunningCall.seconds(call.elapsed()));
            stuckChanged();
        }
    }

    int stuck() {
        int n = 0;
        for (RunningCall c : running) {
            if (c.stuck()) {
                n++;
            }
        }
        return n;
    }

    /** Marks a call stuck if it still runs; logs it once. */
    void checkStuck(RunningCall call) {
        if (!call.ended() && running.contains(call) && call.markStuck()) {
            LOG.warning(() -> "Stuck call: " + call.describe() + " still runs " + RunningCall.seconds(call.elapsed())
                    + " after it started, although it " + call.answeredAs()
                    + "; its capacity stays taken until its thread ends");
            stuckChanged();
        }
    }

    private void stuckChanged() {
        int stuck = stuck();
        if (stuck >= maxStuck && degraded.compareAndSet(false, true)) {
            LOG.warning(() -> "Plugin " + bundleName + " (bundle " + bundleId + ") is degraded: " + stuck
                    + " of its calls are stuck; it takes no new calls until they end or it is restarted");
        } else if (stuck < maxStuck && degraded.compareAndSet(true, false)) {
            LOG.info(() -> "Plugin " + bundleName + " (bundle " + bundleId + ") recovered: " + stuck
                    + " stuck call(s) left; it takes calls again");
        }
    }

    /** Whether it refuses new calls because too many of its calls are stuck. */
    boolean degraded() {
        return degraded.get();
    }

    /** The plugin stopped: its idle threads end, and those still busy end after their call. */
    void stop() {
        stopped = true;
        pool.shutdown();
    }

    /** Threads of the plugin's group that are not the host's call threads. */
    List<Thread> ownThreads() {
        return PluginThreads.live(group).stream().filter(t -> !workers.contains(t)).toList();
    }

    /** Whether anything of it still runs: a call, or (once stopped) a thread it started. */
    boolean active() {
        return !running.isEmpty() || stopped && !ownThreads().isEmpty();
    }

    /** Logs the threads the plugin left behind when it stopped, if any. */
    void reportLeftThreads() {
        List<String> names = ownThreads().stream().map(Thread::getName).toList();
        if (!names.isEmpty()) {
            LOG.warning(() -> "Plugin " + bundleName + " (bundle " + bundleId + ") stopped but left " + names.size()
                    + " thread(s) running: " + names + "; they keep its classes in memory until they end");
        }
    }

    CallHealth health() {
        List<String> left = stopped ? ownThreads().stream().map(Thread::getName).toList() : List.of();
        return new CallHealth(bundleId, bundleName, running.size(), stuck(), degraded(), left);
    }
}
