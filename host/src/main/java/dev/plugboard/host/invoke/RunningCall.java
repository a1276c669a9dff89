package dev.plugboard.host.invoke;

import dev.plugboard.api.context.Caller;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.containment.IdleScheduling;
import java.time.Duration;

/** A call admitted to a plugin, from admission until its thread leaves the plugin's code. */
final class RunningCall {

    private final String what;
    private final Provider provider;
    private final Caller caller;
    private final long started = System.nanoTime();
    private volatile boolean ended;
    private volatile boolean stuck;
    private volatile String answeredAs;
    private volatile Thread thread;
    private volatile boolean demoted;
    private long deadline;
    private Runnable onDeadline;
    // Read and written by the watching thread only.
    private long cpuSampledAt;
    private long cpuSample;
    private long tickSampledAt;
    private long tickCpu;
    private long demotedCpu;
    private boolean idled;
    private volatile int waitingTicks;
    private volatile boolean waitsOnHost;

    RunningCall(String what, Provider provider, Caller caller) {
        this.what = what;
        this.provider = provider;
        this.caller = caller;
    }

    /** What to do when the call is still running at its deadline; set before the call starts. */
    void expiresAt(long deadlineNanos, Runnable expire) {
        this.deadline = deadlineNanos;
        this.onDeadline = expire;
    }

    /** Runs the expiry if the call has not ended or been answered by the given time. */
    void expireIfPast(long now) {
        if (now - deadline >= 0 && !ended && answeredAs == null && onDeadline != null) {
            onDeadline.run();
        }
    }

    private volatile int osThreadId;

    /** The thread that runs the call, once it runs; called on that thread. */
    void runsOn(Thread t) {
        osThreadId = IdleScheduling.currentThreadId();
        thread = t;
    }

    /** The operating system's id of the call's thread, or 0 if unknown. */
    int osThreadId() {
        return osThreadId;
    }

    Thread thread() {
        return thread;
    }

    long started() {
        return started;
    }

    boolean demoted() {
        return demoted;
    }

    /** Lowered by the watch, having used the given CPU time by then. */
    void demote(long cpuNanos) {
        demotedCpu = cpuNanos;
        demoted = true;
    }

    /** The call's CPU time when it was lowered. */
    long demotedCpu() {
        return demotedCpu;
    }

    /** Whether its thread has been moved to the idle scheduling class. */
    boolean idled() {
        return idled;
    }

    void idle() {
        idled = true;
    }

    long cpuSampledAt() {
        return cpuSampledAt;
    }

    long cpuSample() {
        return cpuSample;
    }

    long tickSampledAt() {
        return tickSampledAt;
    }

    long tickCpu() {
        return tickCpu;
    }

    /**
     * Records whether the watch saw the call's thread waiting at this tick.
     *
     * @return whether it has now been seen waiting at two ticks in a row
     */
    boolean waitingAt(boolean waiting) {
        int ticks = waiting ? Math.min(waitingTicks + 1, 2) : 0;
        waitingTicks = ticks;
        return ticks >= 2;
    }

    /** Whether the watch saw the call's thread waiting at its last two ticks, or it waits on the host's I/O now. */
    boolean waits() {
        return waitingTicks >= 2 || waitsOnHost;
    }

    /** Its thread starts or stops waiting on I/O the host does for it (see {@link IoWaits}). */
    void waitsOnHost(boolean now) {
        waitsOnHost = now;
    }

    void tickSampled(long at, long cpuNanos) {
        tickSampledAt = at;
        tickCpu = cpuNanos;
    }

    void cpuSampled(long at, long cpuNanos) {
        cpuSampledAt = at;
        cpuSample = cpuNanos;
    }

    String what() {
        return what;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    boolean ended() {
        return ended;
    }

    void end() {
        ended = true;
    }

    boolean stuck() {
        return stuck;
    }

    /** Marks the call stuck; true the first time. */
    synchronized boolean markStuck() {
        if (stuck || ended) {
            return false;
        }
        stuck = true;
        return true;
    }

    /** Records how the call was answered before its thread ended (timed out, cancelled). */
    void answeredAs(String how) {
        if (answeredAs == null) {
            answeredAs = how;
        }
    }

    String answeredAs() {
        return answeredAs;
    }

    /** The call for the log: what, which plugin, for whom. */
    String describe() {
        StringBuilder b = new StringBuilder(what).append(" of plugin ").append(provider.bundleName()).append(' ')
                .append(provider.bundleVersion()).append(" (bundle ").append(provider.bundleId()).append(')');
        if (caller != null) {
            b.append(" for ").append(caller.principal());
            caller.clientName().ifPresent(c -> b.append(" via ").append(c));
            caller.sessionId().ifPresent(s -> b.append(" in session ").append(s));
        }
        return b.toString();
    }

    static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0) : d.toSeconds() + " s";
    }
}
