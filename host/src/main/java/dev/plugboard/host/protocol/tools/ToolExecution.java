package dev.plugboard.host.protocol.tools;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.plugboard.api.tool.TaskSupport;
import java.util.Locale;

/**
 * How a tool's calls run, as {@code tools/list} shows it under {@code execution}.
 *
 * @param support whether calls may run as tasks
 * @param deferred whether a call becomes a task only when the method says so (not on the wire)
 */
public record ToolExecution(@JsonIgnore TaskSupport support, @JsonIgnore boolean deferred) {

    /** The wire name of the task support: {@code forbidden}, {@code optional} or {@code required}. */
    public String getTaskSupport() {
        return support.name().toLowerCase(Locale.ROOT);
    }
}
