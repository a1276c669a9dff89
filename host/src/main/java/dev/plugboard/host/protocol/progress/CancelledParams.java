package dev.plugboard.host.protocol.progress;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parameters of {@code notifications/cancelled}.
 *
 * @param requestId the id of the request to cancel
 * @param reason why, or null
 */
public record CancelledParams(JsonNode requestId, String reason) {
}
