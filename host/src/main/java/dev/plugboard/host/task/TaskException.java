package dev.plugboard.host.task;

/** A task request the host turns away; each front door maps the reason to its own error. */
public final class TaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** No such task, or not the caller's. */
        NOT_FOUND,
        /** A limit on unfinished tasks is reached. */
        LIMIT,
        /** The request does not fit the task's state. */
        INVALID
    }

    /** The JSON-RPC error data that marks a call turned away because a task limit is reached. */
    public static final java.util.Map<String, String> LIMIT_DATA = java.util.Map.of("limit", "tasks");

    private final Reason reason;

    /**
     * @param reason why
     * @param message what to tell the client
     */
    public TaskException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }
}
