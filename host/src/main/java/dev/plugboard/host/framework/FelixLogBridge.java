package dev.plugboard.host.framework;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Sends Felix's own log output to java.util.logging, so it never reaches standard output (which the
 * stdio transport owns).
 */
final class FelixLogBridge extends org.apache.felix.framework.Logger {

    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    FelixLogBridge() {
        setLogLevel(LOG_WARNING);
    }

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg,
            Throwable throwable) {
        Level jul = switch (level) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.FINE;
        };
        String where = bundle == null ? "" : "[" + bundle.getSymbolicName() + "] ";
        LOG.log(jul, where + msg, throwable);
    }
}
