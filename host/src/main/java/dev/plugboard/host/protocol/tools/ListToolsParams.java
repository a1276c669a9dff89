package dev.plugboard.host.protocol.tools;

/**
 * Parameters of {@code tools/list}.
 *
 * @param cursor where the previous page ended, or null for the first page
 */
public record ListToolsParams(String cursor) {
}
