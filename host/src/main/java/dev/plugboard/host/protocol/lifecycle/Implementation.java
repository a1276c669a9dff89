package dev.plugboard.host.protocol.lifecycle;

/**
 * The name and version of an MCP client or server.
 *
 * @param name programmatic name; never null on the wire
 * @param title human-readable name, or null
 * @param version version string
 */
public record Implementation(String name, String title, String version) {
}
