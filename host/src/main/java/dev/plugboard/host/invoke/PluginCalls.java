package dev.plugboard.host.invoke;

import dev.plugboard.host.containment.CallHealth;
import dev.plugboard.host.containment.PluginThreads;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The calls of one plugin (bundle) from its start until it stops: the platform threads that run its
 * code (in the plugin's thread group, reused between calls), its share of the host's capacity, and
 * its calls that ran on past their answer (stuck).
 */
final class PluginCalls {

    private static final Logger LOG = Logger.getLogger(Invocations.class.getName());

    private static final ThreadLocal<Boolean> ENDING = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** The call the current thread runs, while it runs one. */
    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private record Current(PluginCalls plugin, RunningCall call) {
    }
    /** Threads that take a plugin's calls in turn before any more are added. */
    static final int CORE_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** How long a call may wait for a thread before it gets one of its own, whatever the others do. */
    private static final long LONG_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How long threads lent to calls that wait on the host stay in the pool's core after the last
     * loan: cutting the core back at the next tick (while such calls keep coming, as a proxy's do)
     * interrupted the idle threads 50 times a second and had the next calls lend them again.
     */
    private static final long KEEP_LENT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final long bundleId;
    private final String bundleName;
    private final ThreadGroup group;
    private final CallQueue waiting = new CallQueue(CORE_THREADS);
    private final ThreadPoolExecutor pool;
    private final Semaphore slots;
    private final int maxStuck;
    private final Set<RunningCall> running = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean degraded = new AtomicBoolean();
    /** The pool's threads that exist, and those of them inside a call, and those waiting on the host's I/O. */
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger waitingOnHost = new AtomicInteger();
    private volatile boolean stopped;
    private long completedAtLastTick; // the call watch's own
    /** When threads were last lent to calls that wait on the host (see {@link #lendThreads()}). */
    private volatile long lentAt;

    PluginCalls(long bundleId, String bundleName, ThreadGroup group, int maxCalls, int maxStuck) {
        this.bundleId = bundleId;
        this.bundleName = bundleName;
        this.group = group;
        this.slots = new Semaphore(maxCalls);
        this.maxStuck = maxStuck;
        ThreadFactory threads = Thread.ofPlatform().group(group).daemon().name("plugin-call-" + bundleName + "-", 1)
                .uncaughtExceptionHandler(PluginCalls::uncaught).factory();
        // A few threads take the plugin's calls in order (a lane that computes at most as many at once
        // as there are threads, see CallQueue); more are added only while calls wait behind threads
        // that do not move (see grow), and leave again after a short idle time.
        this.pool = new ThreadPoolExecutor(CORE_THREADS, Integer.MAX_VALUE, 2, TimeUnit.SECONDS, waiting, r -> {
            if (ENDING.get()) {
                // The pool replaces a thread that ends; a thread started by this one would inherit its
                // lowered priority, so the replacement waits for the next call instead.
                return null;
            }
            workers.removeIf(t -> !t.isAlive());
            live.incrementAndGet();
            Thread t = threads.newThread(() -> {
                try {
                    r.run();
                } finally {
                    live.decrementAndGet();
                }
            });
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

    /**
     * Queues an admitted call for the next of the plugin's threads that may take it (always through
     * the queue, so that a lane's limit holds for every call).
     */
    void start(RunningCall call, Runnable work) throws RejectedExecutionException {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("the plugin has stopped");
        }
        running.add(call);
        waiting.offer(new CallQueue.Waiting(call, work));
        pool.prestartCoreThread(); // a lock-free no-op while the pool has its threads (getPoolSize locks)
        if (waitingOnHost.get() > 0 && busy.get() >= live.get()) {
            lendThreads(); // every thread is taken and some of them only wait on the host: no need to wait a tick
        }
    }

    /** The current thread starts running the call (on the pool's thread, before the plugin's code). */
    void runs(RunningCall call) {
        busy.incrementAndGet();
        CURRENT.set(new Current(this, call));
    }

    /**
     * The current thread, if it runs a plugin call, starts waiting on I/O the host does for that call.
     *
     * @return whether it runs one (then {@link #hostWaitEnds()} must follow)
     */
    static boolean hostWaitBegins() {
        Current current = CURRENT.get();
        if (current == null) {
            return false;
        }
        current.call().waitsOnHost(true);
        current.plugin().waitingOnHost.incrementAndGet();
        current.plugin().waiting.waitsOnHost(current.call());
        current.plugin().lendThreads();
        return true;
    }

    /** The current thread's wait that {@link #hostWaitBegins()} announced is over. */
    static void hostWaitEnds() {
        Current current = CURRENT.get();
        if (current != null) {
            current.call().waitsOnHost(false);
            current.plugin().waitingOnHost.decrementAndGet();
        }
    }

    /**
     * Gives waiting calls a thread at once when the threads that could take them wait on the host's
     * I/O: a thread parked on an upstream server's answer uses no CPU, like a thread the watch has
     * seen blocked, but a call that waits a millisecond is never seen at two ticks in a row.
     */
    private void lendThreads() {
        int idle = live.get() - busy.get(); // threads taking from the queue, or about to
        int startable = waiting.startable();
        if (startable > idle && !pool.isShutdown()) {
            synchronized (this) {
                int more = waiting.startable() - (live.get() - busy.get());
                if (more > 0) {
                    pool.setCorePoolSize(pool.getPoolSize() + more);
                }
                lentAt = System.nanoTime();
            }
        }
    }

    /** The watch saw a started call compute for a whole window, or wait: its lane is held back or let go. */
    void seen(RunningCall call, CallQueue.Seen what) {
        waiting.seen(call, what);
    }

    /**
     * Adds threads when calls wait behind threads that do not move: called by the call watch once a
     * tick. A call that waited a tick gets a thread of its own if the pool finished nothing since the
     * last tick (all its threads hang or run long) or if it has waited {@link #LONG_WAIT_NANOS};
     * otherwise as many calls as there are threads blocked (using no CPU) get one. So a plugin's
     * quick calls run on a few threads in turn (a machine with many runnable threads schedules each
     * of them late), while calls that block or hang never keep its other calls waiting for long.
     * Calls that their lane holds back (see {@link CallQueue}) get no thread. Without waiting calls
     * the pool shrinks back to its few threads, once none of its calls has waited on the host for
     * {@link #KEEP_LENT_NANOS}.
     */
    void grow(long now, long tickNanos, java.util.function.ToIntFunction<List<RunningCall>> blocked) {
        long done = pool.getCompletedTaskCount();
        boolean progressed = done != completedAtLastTick;
        completedAtLastTick = done;
        if (pool.getPoolSize() < CORE_THREADS && !pool.isShutdown()) {
            pool.prestartAllCoreThreads(); // a lowered thread ended after its call without a replacement
        }
        long oldest = waiting.oldestStartable();
        if (oldest < 0) {
            if (pool.getCorePoolSize() > CORE_THREADS && waitingOnHost.get() == 0 && now - lentAt >= KEEP_LENT_NANOS) {
                pool.setCorePoolSize(CORE_THREADS);
            }
            return;
        }
        long waited = now - oldest;
        if (waited < tickNanos) {
            return;
        }
        int queued = waiting.startable();
        int more = !progressed || waited >= LONG_WAIT_NANOS ? queued
                : Math.min(queued, blocked.applyAsInt(running.stream().filter(c -> c.thread() != null).toList()));
        if (more > 0) {
            pool.setCorePoolSize(pool.getPoolSize() + more);
        }
    }

    /** Gives back the slot of a call that was admitted but never started. */
    void leaveUnstarted() {
        slots.release();
    }

    /** Gives back what an admitted call held once its thread left the plugin's code (or never got there). */
    void leave(RunningCall call) {
        if (CURRENT.get() != null) {
            CURRENT.remove();
            busy.decrementAndGet();
        }
        running.remove(call);
        waiting.ended(call);
        slots.release();
        if (call.stuck()) {
            synchronized (this) {
                LOG.info(() -> "Stuck call " + call.describe() + " ended after " + RunningCall.seconds(call.elapsed()));
                stuckChanged();
            }
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

    /** Marks a call stuck if it still runs; logs it once. Health never sees it stuck before the plugin is degraded. */
    synchronized void checkStuck(RunningCall call) {
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

    synchronized CallHealth health() {
        List<String> left = stopped ? ownThreads().stream().map(Thread::getName).toList() : List.of();
        return new CallHealth(bundleId, bundleName, running.size(), stuck(), degraded(), left);
    }
}
