package dev.plugboard.host.task;

import java.time.Duration;

/**
 * The bounds on tasks.
 *
 * @param maxPerCaller how many unfinished tasks one principal may have
 * @param maxTotal how many unfinished tasks the node runs at once
 * @param defaultTtl how long a task is kept when the client asks for nothing
 * @param maxTtl the longest a client may ask a task to be kept
 * @param pollInterval how often clients are told to poll
 * @param maxResultBytes the largest result kept, as JSON; a larger one fails the task
 */
public record TaskLimits(int maxPerCaller, int maxTotal, Duration defaultTtl, Duration maxTtl,
        Duration pollInterval, int maxResultBytes) {

    /** The defaults: 16 per caller, 256 in all, kept 1 hour (at most 24), poll every second, 1 MiB results. */
    public static final TaskLimits DEFAULTS = new TaskLimits(16, 256, Duration.ofHours(1), Duration.ofHours(24),
            Duration.ofSeconds(1), 1 << 20);
}
