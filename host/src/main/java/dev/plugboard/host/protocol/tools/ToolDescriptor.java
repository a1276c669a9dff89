package dev.plugboard.host.protocol.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.tool.TaskSupport;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool as {@code tools/list} describes it.
 *
 * @param name unique name in the catalogue
 * @param title human-readable title, or null
 * @param description what the tool does, or null
 * @param inputSchema JSON Schema of the arguments object
 * @param outputSchema JSON Schema of {@code structuredContent}, or null
 * @param annotations behaviour hints, or null
 * @param execution how calls run (task support), or null for calls that answer in the request
 */
public record ToolDescriptor(String name, String title, String description, ObjectNode inputSchema,
        ObjectNode outputSchema, ToolAnnotations annotations, ToolExecution execution) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    /** Checks the name's syntax and that there is an input schema. */
    public ToolDescriptor {
        Objects.requireNonNull(inputSchema, "inputSchema");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name
                    + "' must be 1 to 128 characters from A-Z, a-z, 0-9, '_', '-' and '.'");
        }
    }

    /** A descriptor of a tool whose calls answer in the request. */
    public ToolDescriptor(String name, String title, String description, ObjectNode inputSchema,
            ObjectNode outputSchema, ToolAnnotations annotations) {
        this(name, title, description, inputSchema, outputSchema, annotations, null);
    }

    /** Whether calls of this tool may run as tasks. */
    public TaskSupport taskSupport() {
        return execution == null ? TaskSupport.FORBIDDEN : execution.support();
    }

    /** This descriptor without the output schema, for clients of revisions that predate it. */
    public ToolDescriptor withoutOutputSchema() {
        return outputSchema == null ? this
                : new ToolDescriptor(name, title, description, inputSchema, null, annotations, execution);
    }
}
