package dev.plugboard.api.dynamic;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A set of tools a bundle defined at run time, replaced as a whole. Implemented by the host.
 * Thread-safe; replacements are applied in the order they are made.
 */
@ProviderType
public interface ToolGroup extends AutoCloseable {

    /** The name the group was opened with. */
    String name();

    /**
     * Replaces the group's tools with these. Clients hear of it once (one
     * {@code notifications/tools/list_changed}), and only if what {@code tools/list} shows changed.
     * A tool that cannot be offered (a bad name, a schema that is not a JSON object schema, a name
     * another provider already offers) is left out and reported; the others are offered. Calls in
     * flight to a tool that is replaced or removed finish on the handler they started with.
     *
     * @param tools the tools, each name at most once
     * @return one sentence per tool left out, saying why; empty when all are offered
     */
    List<String> setTools(List<DynamicTool> tools);

    /** Removes every tool of the group; calls in flight run on to their end or time limit. Idempotent. */
    @Override
    void close();
}
