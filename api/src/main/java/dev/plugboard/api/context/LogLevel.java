package dev.plugboard.api.context;

/**
 * Severity of a log message sent to the client, from the least to the most severe (the syslog
 * levels that MCP uses).
 */
public enum LogLevel {
    /** Detailed debugging information. */
    DEBUG,
    /** Normal operational messages. */
    INFO,
    /** Normal but significant events. */
    NOTICE,
    /** Warning conditions. */
    WARNING,
    /** Error conditions. */
    ERROR,
    /** Critical conditions. */
    CRITICAL,
    /** Action must be taken immediately. */
    ALERT,
    /** The system is unusable. */
    EMERGENCY
}
