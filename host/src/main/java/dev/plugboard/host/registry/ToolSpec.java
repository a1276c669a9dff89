package dev.plugboard.host.registry;

import java.util.Objects;
import dev.plugboard.host.protocol.tools.ToolDescriptor;

/**
 * A tool offered to the registry: its description and what runs it.
 *
 * @param descriptor what {@code tools/list} shows
 * @param handler what runs a call
 */
public record ToolSpec(ToolDescriptor descriptor, ToolHandler handler) {

    /** Rejects nulls. */
    public ToolSpec {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(handler, "handler");
    }
}
