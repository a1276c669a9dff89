package dev.plugboard.host.protocol.resources;

/**
 * Parameters of {@code resources/read}, {@code resources/subscribe} and {@code resources/unsubscribe}.
 *
 * @param uri the resource's URI
 */
public record UriParams(String uri) {
}
