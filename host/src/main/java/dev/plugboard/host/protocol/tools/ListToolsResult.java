package dev.plugboard.host.protocol.tools;

import java.util.List;

/**
 * Result of {@code tools/list}.
 *
 * @param tools one page of tools, ordered by name
 * @param nextCursor the cursor of the next page, or null on the last page
 */
public record ListToolsResult(List<ToolDescriptor> tools, String nextCursor) {
}
