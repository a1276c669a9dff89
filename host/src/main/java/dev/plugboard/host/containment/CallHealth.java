package dev.plugboard.host.containment;

import java.util.List;

/**
 * How one plugin's calls are doing, for health reports and metrics.
 *
 * @param bundleId the plugin's bundle id
 * @param symbolicName the plugin's bundle symbolic name
 * @param running calls of the plugin whose threads are running now (stuck ones included)
 * @param stuck calls still running after they timed out or were cancelled
 * @param degraded whether the plugin refuses new calls because too many of its calls are stuck
 * @param leakedThreads names of threads the plugin started that still run after it stopped
 */
public record CallHealth(long bundleId, String symbolicName, int running, int stuck, boolean degraded,
        List<String> leakedThreads) {

    /** Copies the thread names. */
    public CallHealth {
        leakedThreads = List.copyOf(leakedThreads);
    }
}
