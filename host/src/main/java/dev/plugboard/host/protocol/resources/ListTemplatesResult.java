package dev.plugboard.host.protocol.resources;

import java.util.List;

/**
 * Result of {@code resources/templates/list}.
 *
 * @param resourceTemplates one page, ordered by template
 * @param nextCursor the next page's cursor, or null
 */
public record ListTemplatesResult(List<TemplateDescriptor> resourceTemplates, String nextCursor) {
}
