package dev.plugboard.host.protocol.logging;

/**
 * Parameters of {@code notifications/message}.
 *
 * @param level the syslog severity name, lower case
 * @param logger the name of the logger (the tool), or null
 * @param data the message
 */
public record LoggingMessageParams(String level, String logger, Object data) {
}
