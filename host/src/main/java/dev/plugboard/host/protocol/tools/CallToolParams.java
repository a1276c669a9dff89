package dev.plugboard.host.protocol.tools;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parameters of {@code tools/call}.
 *
 * @param name the tool's name
 * @param arguments the arguments object, or null for none
 * @param meta the request's {@code _meta}, or null
 */
public record CallToolParams(String name, JsonNode arguments, @JsonProperty("_meta") JsonNode meta) {
}
