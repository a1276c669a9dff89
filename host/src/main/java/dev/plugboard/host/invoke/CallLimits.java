package dev.plugboard.host.invoke;

import java.time.Duration;

/**
 * The limits of calls into plugin code. A tool's own limits ({@code @Tool(timeoutSeconds,
 * maxConcurrentCalls)}) come on top of these.
 *
 * @param timeout how long a call may run when its tool sets no time limit of its own
 * @param maxPerPlugin how many calls one plugin (bundle) may run at once, across its tools,
 *     resources, prompts and completions
 * @param maxTotal how many plugin calls may run at once in all
 * @param maxStuckPerPlugin how many stuck calls make a plugin degraded (it then refuses new calls)
 * @param stuckAfter how long a call may run on after it timed out or was cancelled before it
 *     counts as stuck
 * @param memoryGuardPercent how full the old generation of the heap may stay after a collection
 *     before new calls are refused (100: never)
 */
public record CallLimits(Duration timeout, int maxPerPlugin, int maxTotal, int maxStuckPerPlugin, Duration stuckAfter,
        int memoryGuardPercent) {

    /** Checks the values. */
    public CallLimits {
        if (timeout.isNegative() || timeout.isZero() || maxPerPlugin < 1 || maxTotal < 1 || maxStuckPerPlugin < 1
                || stuckAfter.isNegative() || memoryGuardPercent < 1 || memoryGuardPercent > 100) {
            throw new IllegalArgumentException("invalid call limits: " + timeout + ", " + maxPerPlugin + ", " + maxTotal
                    + ", " + maxStuckPerPlugin + ", " + stuckAfter + ", " + memoryGuardPercent);
        }
    }

    /** The default limits with the given time limit. */
    public static CallLimits withTimeout(Duration timeout) {
        return new CallLimits(timeout, 128, 512, 4, Duration.ofSeconds(1), 90);
    }
}
