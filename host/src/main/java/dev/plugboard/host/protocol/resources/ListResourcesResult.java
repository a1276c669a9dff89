package dev.plugboard.host.protocol.resources;

import java.util.List;

/**
 * Result of {@code resources/list}.
 *
 * @param resources one page, ordered by URI
 * @param nextCursor the next page's cursor, or null
 */
public record ListResourcesResult(List<ResourceDescriptor> resources, String nextCursor) {
}
