package dev.plugboard.host.protocol.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parameters of {@code initialize}.
 *
 * @param protocolVersion the revision the client prefers
 * @param capabilities what the client can do
 * @param clientInfo the client's name and version
 */
public record InitializeParams(String protocolVersion, JsonNode capabilities, Implementation clientInfo) {
}
