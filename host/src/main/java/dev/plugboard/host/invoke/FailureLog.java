package dev.plugboard.host.invoke;

import dev.plugboard.api.tool.ToolException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs failed calls: one short line each at WARNING (what, plugin, caller, duration, error class
 * and message), the stack trace only at FINE and at most once a minute per call name, so that a
 * plugin failing on every call (a stack overflow, a cyclic result) cannot flood the log.
 */
final class FailureLog {

    private static final Logger LOG = Logger.getLogger(Invocations.class.getName());
    private static final long TRACE_INTERVAL = TimeUnit.MINUTES.toNanos(1);
    /** The longest error message logged or sent to the client. */
    static final int MAX_MESSAGE = 500;

    private final Map<String, Long> lastTrace = new ConcurrentHashMap<>();

    /** Logs the failure and returns the exception for the client. */
    PluginCallException failed(RunningCall call, Throwable t) {
        String message = clip(t.getMessage());
        if (t instanceof OutOfMemoryError) {
            LOG.warning(() -> "Out of memory: " + call.describe() + " failed after "
                    + RunningCall.seconds(call.elapsed()) + ": " + t);
            return new PluginCallException(PluginCallException.Reason.FAILED,
                    call.what() + " ran out of memory" + (message == null ? "" : " (" + message + ")"), t);
        }
        if (t instanceof ToolException) {
            LOG.fine(() -> call.describe() + " reported an error: " + message);
        } else {
            LOG.warning(() -> "Failed: " + call.describe() + " after " + RunningCall.seconds(call.elapsed()) + ": "
                    + t.getClass().getName() + (message == null ? "" : ": " + message));
            traceAtMostOncePerMinute(call.what(), t);
        }
        return new PluginCallException(PluginCallException.Reason.FAILED,
                message == null || message.isBlank() ? call.what() + " failed: " + plainly(t) : message, t);
    }

    /** A failure without a message, in words rather than a class name. */
    private static String plainly(Throwable t) {
        return switch (t) {
            case StackOverflowError e -> "its calls nested too deeply (stack overflow)";
            case NullPointerException e -> "it used a missing value (null)";
            case Error e -> "an error in the Java runtime; the server log has the details";
            default -> "an unexpected error without a message; the server log has the details";
        };
    }

    private void traceAtMostOncePerMinute(String what, Throwable t) {
        if (!LOG.isLoggable(Level.FINE)) {
            return;
        }
        long now = System.nanoTime();
        Long last = lastTrace.get(what);
        if (last != null && now - last < TRACE_INTERVAL) {
            return;
        }
        lastTrace.put(what, now);
        if (lastTrace.size() > 10_000) {
            lastTrace.clear();
        }
        LOG.log(Level.FINE, "Stack trace of the failure of " + what + " (at most one a minute)", t);
    }

    private static String clip(String message) {
        if (message == null || message.length() <= MAX_MESSAGE) {
            return message;
        }
        return message.substring(0, MAX_MESSAGE) + "... (" + (message.length() - MAX_MESSAGE) + " more characters)";
    }
}
