package dev.plugboard.host.protocol.lifecycle;

/**
 * Result of {@code initialize}.
 *
 * @param protocolVersion the revision both sides will speak
 * @param capabilities what the server offers
 * @param serverInfo the server's name and version
 * @param instructions how to use the server, for the model; null for none
 */
public record InitializeResult(String protocolVersion, ServerCapabilities capabilities, Implementation serverInfo,
        String instructions) {
}
