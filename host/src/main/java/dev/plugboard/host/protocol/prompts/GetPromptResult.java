package dev.plugboard.host.protocol.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Result of {@code prompts/get}.
 *
 * @param description a description of this rendering, or null
 * @param messages the messages in wire form ({@code {role, content}})
 */
public record GetPromptResult(String description, List<JsonNode> messages) {
}
