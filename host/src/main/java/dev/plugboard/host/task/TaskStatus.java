package dev.plugboard.host.task;

import java.util.Locale;
import java.util.Optional;

/** Where a task is in its life; the last three are terminal. */
public enum TaskStatus {

    /** The tool is running. */
    WORKING,

    /** The tool waits for the client's answers. */
    INPUT_REQUIRED,

    /** The tool answered (its result may still be a tool error). */
    COMPLETED,

    /** The tool did not answer: it crashed, timed out, or its bundle went away. */
    FAILED,

    /** Someone cancelled the task. */
    CANCELLED;

    /** The name on the wire: {@code working}, {@code input_required}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the task has ended. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The status of a wire name, if it is one. */
    public static Optional<TaskStatus> parse(String wire) {
        for (TaskStatus s : values()) {
            if (s.wire().equals(wire)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
