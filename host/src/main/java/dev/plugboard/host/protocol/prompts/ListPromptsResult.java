package dev.plugboard.host.protocol.prompts;

import java.util.List;

/**
 * Result of {@code prompts/list}.
 *
 * @param prompts one page, ordered by name
 * @param nextCursor the next page's cursor, or null
 */
public record ListPromptsResult(List<PromptDescriptor> prompts, String nextCursor) {
}
