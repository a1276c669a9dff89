package dev.plugboard.host.protocol.progress;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parameters of {@code notifications/progress}.
 *
 * @param progressToken the token the client put in the request's {@code _meta}
 * @param progress work done so far; increases with every notification
 * @param total the total, or null when unknown
 * @param message a short status, or null
 */
public record ProgressParams(JsonNode progressToken, double progress, Double total, String message) {
}
