package dev.plugboard.host.invoke;

import dev.plugboard.host.containment.IdleScheduling;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One thread that looks at every running plugin call a few dozen times a second: a call past its
 * deadline is expired, and a call that keeps a CPU busy gets the lowest thread priority.
 *
 * <p>Per call this costs nothing on the call's own path: no timer task to schedule and cancel (a
 * scheduled executor takes a lock twice per call and wakes its thread whenever a call's deadline
 * becomes its earliest), at the price of expiring a call up to one tick late.
 *
 * <p>Lowering the priority of a busy call's thread is what keeps CPU-bound plugin code from
 * starving request handling, in two steps. A call seen computing gets nice 19 (its Java priority
 * drops to the lowest too, which {@code -XX:ThreadPriorityPolicy=1} maps to the same; on Linux the
 * nice value is set directly, so it holds in any JVM): the operating system gives its CPU to
 * anything else that wants it, yet it keeps a small share and finishes on a busy machine. A call
 * that goes on computing for {@link #RUNAWAY_CPU} more is runaway and moves to the idle scheduling
 * class, where it runs only when a CPU is otherwise idle. An unprivileged process cannot raise a
 * thread's priority again, so a lowered thread ends after its call instead of serving the plugin's
 * next one.
 */
final class CallWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Invocations.class.getName());
    /** How often running calls are looked at: a deadline is met at most this late. */
    static final Duration TICK = Duration.ofMillis(20);
    /** The window over which a call's CPU use is measured, from the first tick that sees it running. */
    private static final long BUSY_WINDOW_NANOS = Duration.ofMillis(100).toNanos();
    /**
     * CPU time a runnable call must use within the window to count as busy: half a percent of one
     * CPU. A call waiting in native code (a socket read) uses next to none; a computing one uses far
     * more, even when a hundred others compute beside it on one CPU and each gets a hundredth of it
     * (a threshold of a few milliseconds would miss exactly the crowd that starves the host).
     */
    private static final long BUSY_CPU_NANOS = Duration.ofMillis(1).toNanos() / 2;
    /**
     * CPU time a lowered call may use before its thread moves to the idle scheduling class. At nice
     * 19 a thread keeps a weighted share of a CPU against every other process (a seventieth against
     * one at nice 0, an equal share against one at nice 19), so a call that computes for a while,
     * such as a first call that loads classes, warms an index or loads a model, still finishes on a
     * machine that is never idle; in the idle class it would wait for the machine to be idle (on this
     * project's 2-CPU machine, beside one process at nice 19 on the same CPU, 0.3 s of CPU took 15 s
     * in the idle class and 2.4 s at nice 19). Two seconds of CPU is past what such bursts need,
     * while a runaway call reaches it within seconds of being lowered; until then, at nice 19, it
     * costs request handling at most a time slice at a hand-off now and then.
     */
    static final Duration RUNAWAY_CPU = Duration.ofSeconds(2);
    private static final long RUNAWAY_CPU_NANOS = RUNAWAY_CPU.toNanos();
    /** A runnable call using less than this share of a CPU between two ticks waits in native code. */
    private static final int IDLE_SHARE = 100;

    private final Consumer<Consumer<PluginCalls>> plugins;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    private final boolean measuresCpu;
    private final Thread thread;
    private volatile boolean closed;

    /** @param plugins runs its argument for every plugin with calls (running or stopped) */
    CallWatch(Consumer<Consumer<PluginCalls>> plugins) {
        this.plugins = plugins;
        this.measuresCpu = cpu.isThreadCpuTimeSupported() && cpu.isThreadCpuTimeEnabled();
        this.thread = Thread.ofPlatform().daemon().name("plugboard-call-watch").start(this::watch);
    }

    private void watch() {
        long tick = TICK.toNanos();
        while (!closed) {
            LockSupport.parkNanos(this, tick);
            long now = System.nanoTime();
            try {
                plugins.accept(plugin -> {
                    plugin.forEachRunning(call -> look(plugin, call, now));
                    plugin.grow(now, tick, CallWatch::blocked);
                });
            } catch (RuntimeException e) {
                LOG.warning(() -> "Watching plugin calls failed: " + e);
            }
        }
    }

    private void look(PluginCalls plugin, RunningCall call, long now) {
        call.expireIfPast(now);
        Thread t = call.thread();
        if (t == null || call.ended()) {
            return;
        }
        Thread.State state = t.getState();
        long used = measuresCpu ? cpu.getThreadCpuTime(t.threadId()) : -1;
        boolean waits = state == Thread.State.BLOCKED || state == Thread.State.WAITING
                || state == Thread.State.TIMED_WAITING;
        if (!waits && !call.demoted() && call.tickSampledAt() != 0 && used >= 0
                && used - call.tickCpu() < (now - call.tickSampledAt()) / IDLE_SHARE) {
            // Next to no CPU while runnable, in a native method: waiting in native code, such as a
            // socket read. (A computing thread can get as little on a crowded machine, lowered ones
            // whenever anything else wants the CPU, but it is rarely caught in a native method.)
            waits = inNativeMethod(t);
        }
        call.tickSampled(now, used);
        // Seen waiting at two ticks in a row: it waits, not merely a quick call caught on a lock.
        if (call.waitingAt(waits)) {
            plugin.seen(call, CallQueue.Seen.WAITING);
        }
        if (used < 0) {
            return;
        }
        if (call.demoted()) {
            if (!call.idled() && used - call.demotedCpu() >= RUNAWAY_CPU_NANOS) {
                // Computing on and on: from now on it runs only when no other thread wants a CPU.
                call.idle();
                IdleScheduling.idle(call.osThreadId());
                LOG.fine(() -> call.what() + " has computed for " + RUNAWAY_CPU.toSeconds()
                        + " s of CPU time since it was lowered; its thread runs only when a CPU is idle from now on");
            }
            return;
        }
        if (call.cpuSampledAt() == 0) {
            call.cpuSampled(now, used);
        } else if (now - call.cpuSampledAt() >= BUSY_WINDOW_NANOS) {
            if (t.getState() == Thread.State.RUNNABLE && used - call.cpuSample() >= BUSY_CPU_NANOS) {
                // Runnable and computing throughout the window (however little CPU a crowded machine
                // gave it): it yields its CPU to everything else from now on, keeping a small share.
                call.demote(used);
                t.setPriority(Thread.MIN_PRIORITY);
                IdleScheduling.lowestPriority(call.osThreadId());
                plugin.seen(call, CallQueue.Seen.COMPUTING);
                LOG.fine(() -> call.what() + " keeps a CPU busy; its thread runs at the lowest priority from now on");
            } else {
                call.cpuSampled(now, used);
            }
        }
    }

    private static boolean inNativeMethod(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        return stack.length > 0 && stack[0].isNativeMethod();
    }

    /** How many of these started calls have been waiting since the tick before the last. */
    private static int blocked(List<RunningCall> started) {
        int n = 0;
        for (RunningCall call : started) {
            if (!call.ended() && call.waits()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
