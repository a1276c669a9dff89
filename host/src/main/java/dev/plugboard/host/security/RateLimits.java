package dev.plugboard.host.security;

import java.time.Duration;
import java.util.Map;

/**
 * The rate limits of {@code security.json}: per credential (requests per interval at the door,
 * concurrent tool calls) and per tool for each credential (requests per interval, concurrent calls),
 * with overrides for named tools.
 *
 * @param perCredential the limits of each credential, or null for none
 * @param perTool the limits of each credential's calls of one tool, or null for none
 * @param tools overrides of {@code perTool} for tools by name
 */
public record RateLimits(Limit perCredential, Limit perTool, Map<String, Limit> tools) {

    /** No limits. */
    public static final RateLimits NONE = new RateLimits(null, null, Map.of());

    /** Copies the overrides. */
    public RateLimits {
        tools = Map.copyOf(tools);
    }

    /**
     * One limit: at most {@code requests} per {@code interval} (0: no such limit) and at most
     * {@code concurrent} at once (0: no such limit).
     */
    public record Limit(int requests, Duration interval, int concurrent) {
        /** Checks the numbers. */
        public Limit {
            if (requests < 0 || concurrent < 0 || interval.isNegative() || (requests > 0 && interval.isZero())) {
                throw new IllegalArgumentException("a rate limit needs requests >= 0, concurrent >= 0 and a"
                        + " positive interval");
            }
        }
    }

    /**
     * Counts one request of a credential at the door.
     *
     * @return 0 when admitted, else seconds to wait
     */
    long takeRequest(RateCounters counters, String credential) {
        if (perCredential == null || perCredential.requests() == 0) {
            return 0;
        }
        long millis = counters.take("req:" + credential, perCredential.requests(), perCredential.interval());
        return millis == 0 ? 0 : (millis + 999) / 1000;
    }

    /** The tool-call admission of a credential. */
    CallLimiter limiter(RateCounters counters, String credential) {
        if (perCredential == null && perTool == null && tools.isEmpty()) {
            return CallLimiter.NONE;
        }
        return tool -> admit(counters, credential, tool);
    }

    private CallLimiter.Admission admit(RateCounters counters, String credential, String tool) {
        Limit forTool = tools.getOrDefault(tool, perTool);
        String toolKey = "tool:" + credential + "\u0000" + tool;
        if (forTool != null && forTool.requests() > 0) {
            long millis = counters.take(toolKey, forTool.requests(), forTool.interval());
            if (millis > 0) {
                return refused(millis, "rate limit reached: at most " + forTool.requests() + " calls of '" + tool
                        + "' per " + forTool.interval().toSeconds() + " s");
            }
        }
        String mine = "calls:" + credential;
        boolean credentialSlot = perCredential != null && perCredential.concurrent() > 0;
        if (credentialSlot && !counters.enter(mine, perCredential.concurrent())) {
            return refused(1000, "rate limit reached: at most " + perCredential.concurrent()
                    + " concurrent calls per credential");
        }
        boolean toolSlot = forTool != null && forTool.concurrent() > 0;
        if (toolSlot && !counters.enter(toolKey, forTool.concurrent())) {
            if (credentialSlot) {
                counters.leave(mine);
            }
            return refused(1000, "rate limit reached: at most " + forTool.concurrent() + " concurrent calls of '"
                    + tool + "'");
        }
        if (!credentialSlot && !toolSlot) {
            return CallLimiter.Admission.FREE;
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return new CallLimiter.Admission(0, null, () -> {
            if (released.compareAndSet(false, true)) {
                if (toolSlot) {
                    counters.leave(toolKey);
                }
                if (credentialSlot) {
                    counters.leave(mine);
                }
            }
        });
    }

    private static CallLimiter.Admission refused(long millis, String reason) {
        return new CallLimiter.Admission(Math.max(1, (millis + 999) / 1000), reason, () -> { });
    }
}
