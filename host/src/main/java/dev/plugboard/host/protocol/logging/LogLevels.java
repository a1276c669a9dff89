package dev.plugboard.host.protocol.logging;

import dev.plugboard.api.context.LogLevel;
import java.util.Locale;
import java.util.Optional;

/**
 * Converts log levels between the plugin API and the wire.
 */
public final class LogLevels {

    private LogLevels() {
    }

    /** The wire name of a level, such as {@code warning}. */
    public static String wireName(LogLevel level) {
        return level.name().toLowerCase(Locale.ROOT);
    }

    /** The level named on the wire, if the name is one. */
    public static Optional<LogLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (LogLevel level : LogLevel.values()) {
            if (wireName(level).equals(name)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
