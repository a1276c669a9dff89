package dev.plugboard.host.http;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a client that hung up during a streamed answer (an event stream a browser left, a download
 * cancelled) out of the log's errors: Jersey logs each failed write and the failed close after it at
 * SEVERE with a stack trace, although nothing went wrong on this side. Such a record is logged once at
 * FINE, without the trace, instead; an I/O failure of any other kind is logged as Jersey logs it.
 */
final class HungUpClients {

    /** Held so that the logger, and its filter, stay. */
    private static final Logger JERSEY_RESPONDER = quiet(
            Logger.getLogger("org.glassfish.jersey.server.ServerRuntime$Responder"));

    private HungUpClients() {
    }

    /** Installs the filter (once per class loader; later calls do nothing). */
    static void quietOnHangUps() {
        JERSEY_RESPONDER.getName();
    }

    private static Logger quiet(Logger logger) {
        logger.setFilter(record -> {
            if (!hungUp(record.getThrown())) {
                return true;
            }
            Logger.getLogger(HttpFrontDoor.class.getName()).log(Level.FINE,
                    () -> "A client hung up during a streamed answer: " + record.getMessage());
            return false;
        });
        return logger;
    }

    /** Whether the failure, or one of its causes, is Grizzly's or the kernel's word for a connection the peer closed. */
    static boolean hungUp(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null) {
                String message = t.getMessage();
                if (message.equals("Connection is closed") || message.contains("Broken pipe")
                        || message.contains("Connection reset by peer")) {
                    return true;
                }
            }
        }
        return false;
    }
}
