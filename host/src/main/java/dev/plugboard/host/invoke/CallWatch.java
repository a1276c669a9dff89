package dev.plugboard.host.invoke;

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
 * starving request handling: with {@code -XX:ThreadPriorityPolicy=1} (the launcher sets it, with the
 * lowest Java priority mapped to nice 19) the operating system then gives that thread's CPU to
 * anything else that wants it. Without that flag the JVM ignores priorities and nothing changes.
 * An unprivileged process cannot raise a thread's priority again, so a lowered thread ends after its
 * call instead of serving the plugin's next one.
 */
final class CallWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Invocations.class.getName());
    /** How often running calls are looked at: a deadline is met at most this late. */
    static final Duration TICK = Duration.ofMillis(20);
    /** How long a call runs before its CPU use is looked at, and the window it is measured over. */
    private static final long BUSY_WINDOW_NANOS = Duration.ofMillis(100).toNanos();
    /** CPU time a call must use within the window to count as busy (one waiting in native code uses none). */
    private static final long BUSY_CPU_NANOS = Duration.ofMillis(5).toNanos();

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
                    plugin.forEachRunning(call -> look(call, now));
                    plugin.grow(now, tick, busy -> blocked(busy, now));
                });
            } catch (RuntimeException e) {
                LOG.warning(() -> "Watching plugin calls failed: " + e);
            }
        }
    }

    private void look(RunningCall call, long now) {
        call.expireIfPast(now);
        Thread t = call.thread();
        if (!measuresCpu || t == null || call.demoted() || call.ended() || now - call.started() < BUSY_WINDOW_NANOS) {
            return;
        }
        long used = cpu.getThreadCpuTime(t.threadId());
        if (used < 0) {
            return;
        }
        if (call.cpuSampledAt() == 0) {
            call.cpuSampled(now, used);
        } else if (now - call.cpuSampledAt() >= BUSY_WINDOW_NANOS) {
            if (t.getState() == Thread.State.RUNNABLE && used - call.cpuSample() >= BUSY_CPU_NANOS) {
                // Runnable and computing throughout the window (however little CPU a crowded machine
                // gave it): it yields its CPU to everything else from now on.
                call.demote();
                t.setPriority(Thread.MIN_PRIORITY);
                LOG.fine(() -> call.what() + " keeps a CPU busy; its thread runs at the lowest priority from now on");
            } else {
                call.cpuSampled(now, used);
            }
        }
    }

    /** How many of these started calls are blocked: waiting, or using less than half a CPU since last asked. */
    private int blocked(List<RunningCall> started, long now) {
        int n = 0;
        for (RunningCall call : started) {
            Thread t = call.thread();
            if (call.ended()) {
                continue;
            }
            Thread.State state = t.getState();
            if (state == Thread.State.BLOCKED || state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                n++;
                continue;
            }
            long used = measuresCpu ? cpu.getThreadCpuTime(t.threadId()) : -1;
            if (used >= 0 && call.tickSampledAt() != 0 && used - call.tickCpu() < (now - call.tickSampledAt()) / 2) {
                n++; // in native code that waits (a socket read), most likely
            }
            call.tickSampled(now, used);
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
