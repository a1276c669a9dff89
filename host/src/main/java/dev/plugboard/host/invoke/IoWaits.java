package dev.plugboard.host.invoke;

/**
 * Host code that a plugin call waits on says so here: the upstream client, whose answers a proxy
 * plugin's calls wait for. A thread parked on such a wait uses no CPU, so the call's lane is not
 * held to the plugin's few threads and the calls queued behind it get threads at once (see
 * {@link Invocations}), instead of after the call watch has seen the thread wait at two ticks in a
 * row, which a call that waits a millisecond never is.
 *
 * <p>On any other thread (not running a plugin call) both methods do nothing. Thread-safe.
 */
public final class IoWaits {

    private IoWaits() {
    }

    /**
     * The current thread is about to wait on I/O the host does for the plugin call it runs.
     *
     * @return whether it runs a plugin call; if so, {@link #end()} must follow when the wait is over
     */
    public static boolean begin() {
        return PluginCalls.hostWaitBegins();
    }

    /** The wait announced by {@link #begin()} on this thread is over. */
    public static void end() {
        PluginCalls.hostWaitEnds();
    }
}
