package dev.plugboard.host.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sends all logging to standard error or to a file, one line per record, never to standard output.
 */
final class LogSetup {

    /** Loggers whose level is set here; held so that the settings are not collected with them. */
    private static final java.util.List<Logger> TUNED = new java.util.ArrayList<>();

    private LogSetup() {
    }

    static void configure(String level, Path file) throws IOException {
        configure(level, file, "text");
    }

    /**
     * @param format {@code text}: one readable line per record; {@code json}: one JSON object per
     *     line ({@link JsonLogFormatter})
     */
    static void configure(String level, Path file, String format) throws IOException {
        if (LogManager.getLogManager() instanceof ShutdownLogManager manager) {
            manager.resetNow();
        } else {
            LogManager.getLogManager().reset();
        }
        Logger root = Logger.getLogger("");
        Level threshold = Level.parse(level.toUpperCase(java.util.Locale.ROOT));
        Handler handler;
        if (file != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            handler = new FileHandler(file.toString(), true);
        } else {
            handler = new StreamHandler(new PrintStream(new StandardError(), true), new LineFormatter()) {
                @Override
                public synchronized void publish(LogRecord record) {
                    super.publish(record);
                    flush();
                }
            };
        }
        handler.setFormatter("json".equals(format) ? new JsonLogFormatter() : new LineFormatter());
        handler.setLevel(threshold);
        root.addHandler(handler);
        root.setLevel(threshold);
        for (String noisy : new String[] {"org.glassfish", "org.jvnet.hk2"}) {
            tune(noisy, Level.WARNING);
        }
        // the tokenizer library reports a missing GPU and its default length as warnings
        tune("ai.djl", Level.SEVERE);
    }

    /** Closes the log handlers; the shutdown hook calls it after its last line. */
    static void closeAtExit() {
        if (LogManager.getLogManager() instanceof ShutdownLogManager manager) {
            manager.resetNow();
        }
    }

    /**
     * The JDK's log manager closes every handler in a shutdown hook of its own, which runs beside the
     * host's and would swallow the host's last lines ("Plugboard stopped"). This one leaves the
     * handlers open until the host's hook has logged them. {@code Main} installs it through the
     * {@code java.util.logging.manager} property.
     */
    public static final class ShutdownLogManager extends LogManager {

        /** Called by {@link LogManager} through the system property. */
        public ShutdownLogManager() {
        }

        @Override
        public void reset() {
            // the JDK's shutdown hook calls this; the host's hook resets through resetNow()
        }

        void resetNow() {
            super.reset();
        }
    }

    private static synchronized void tune(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        TUNED.add(logger);
    }

    /** Writes to the process's standard error even if {@code System.err} is later replaced. */
    private static final class StandardError extends OutputStream {
        private final PrintStream err = System.err;

        @Override
        public void write(int b) {
            err.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            err.write(b, off, len);
        }

        @Override
        public void flush() {
            err.flush();
        }
    }

    private static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
            int dot = logger.lastIndexOf('.');
            StringBuilder sb = new StringBuilder(160)
                    .append(Instant.ofEpochMilli(r.getMillis())).append(' ')
                    .append(String.format("%-7s", r.getLevel().getName())).append(' ')
                    .append(dot < 0 ? logger : logger.substring(dot + 1)).append(": ")
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                sb.append(trace);
            }
            return sb.toString();
        }
    }
}
