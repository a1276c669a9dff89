package dev.plugboard.host.invoke;

/**
 * Why a call into plugin code did not produce a value. The message is written for the client and
 * never holds a stack trace; the plugin's own exception, if any, is the cause.
 */
public final class PluginCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The plugin threw. */
        FAILED,
        /** The call overran its time limit. */
        TIMED_OUT,
        /** The call was cancelled (by the client, or because its plugin went away). */
        CANCELLED,
        /** The plugin is being updated or removed and takes no new calls. */
        GONE,
        /** A concurrency limit (the tool's, the plugin's or the server's) was reached. */
        BUSY,
        /** The plugin has too many stuck calls and takes no new ones. */
        DEGRADED,
        /** The server refuses new calls for now (its heap is nearly full). */
        REFUSED
    }

    private final Reason reason;

    /**
     * @param reason what went wrong
     * @param message the message for the client
     * @param cause the plugin's exception, or null
     */
    public PluginCallException(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }
}
