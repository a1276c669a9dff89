package dev.plugboard.host.containment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread group per plugin (bundle) and start: the host runs a plugin's code on threads of its
 * group, so the threads the plugin starts itself inherit it and can be found after the plugin is
 * gone.
 *
 * <p>A bundle's group lasts from its first use until the bundle stops ({@link #retire}); the next
 * use after that (the same bundle restarted or updated) gets a new group, so the threads an old
 * revision left behind are never confused with the new revision's. Thread-safe.
 */
public final class PluginThreads {

    private final ThreadGroup root;
    private final Map<Long, ThreadGroup> current = new ConcurrentHashMap<>();
    private final AtomicInteger starts = new AtomicInteger();

    /** Creates the parent group of all plugin groups, under the calling thread's group. */
    public PluginThreads() {
        this.root = new ThreadGroup("plugboard-plugins");
    }

    /**
     * The thread group that code of this bundle runs in now: the host's call threads use it, and an
     * activation worker can run a bundle's activator in it too, so that what the activator starts is
     * counted as the plugin's.
     *
     * @param bundleId the bundle's id
     * @param symbolicName the bundle's symbolic name, for the group's name
     */
    public ThreadGroup groupFor(long bundleId, String symbolicName) {
        return current.computeIfAbsent(bundleId,
                id -> new ThreadGroup(root, "plugin " + symbolicName + " #" + id + "." + starts.incrementAndGet()));
    }

    /**
     * Ends the bundle's current group (the bundle stopped): later calls of {@link #groupFor} get a
     * new one.
     *
     * @return the group that ended, or null when the bundle had none
     */
    public ThreadGroup retire(long bundleId) {
        return current.remove(bundleId);
    }

    /** The live threads of a group and its subgroups. */
    public static List<Thread> live(ThreadGroup group) {
        Thread[] threads = new Thread[Math.max(16, group.activeCount() * 2)];
        int n;
        while ((n = group.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        List<Thread> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (threads[i].isAlive()) {
                out.add(threads[i]);
            }
        }
        return out;
    }
}
