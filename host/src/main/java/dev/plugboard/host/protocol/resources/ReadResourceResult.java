package dev.plugboard.host.protocol.resources;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Result of {@code resources/read}.
 *
 * @param contents the contents in wire form (never empty)
 */
public record ReadResourceResult(List<JsonNode> contents) {
}
