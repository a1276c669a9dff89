package dev.plugboard.host.protocol.logging;

/**
 * Parameters of {@code logging/setLevel}.
 *
 * @param level the lowest severity the client wants, lower case
 */
public record SetLevelParams(String level) {
}
