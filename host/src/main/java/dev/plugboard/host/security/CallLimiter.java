package dev.plugboard.host.security;

/**
 * Admits a principal's tool calls under its rate limits: per credential (concurrent calls) and per
 * tool (requests per interval, concurrent calls). The engine asks it once per {@code tools/call}
 * and closes the admission when the call ends.
 */
@FunctionalInterface
public interface CallLimiter {

    /** No limits. */
    CallLimiter NONE = tool -> Admission.FREE;

    /**
     * Admits one call of a tool, or refuses it.
     *
     * @return an admission to close when the call ends, or a refusal
     */
    Admission admit(String tool);

    /**
     * The answer of {@link #admit}: either admitted (close it when the call ends) or refused with
     * how long to wait.
     *
     * @param retryAfterSeconds 0 when admitted, else the seconds to wait before trying again (at least 1)
     * @param reason why it was refused (a sentence naming the limit), null when admitted
     * @param release what closing the admission does
     */
    record Admission(long retryAfterSeconds, String reason, Runnable release) implements AutoCloseable {

        /** Admitted, nothing to release. */
        public static final Admission FREE = new Admission(0, null, () -> { });

        /** Whether the call may proceed. */
        public boolean admitted() {
            return reason == null;
        }

        @Override
        public void close() {
            release.run();
        }
    }
}
