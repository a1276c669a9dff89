package dev.plugboard.host.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code log.format=json}: one JSON object per line, for log shippers. Fields: {@code time} (ISO-8601
 * UTC), {@code level}, {@code logger}, {@code thread}, {@code message}, {@code error} (the stack
 * trace, when there is one) and, for a record whose only parameter is a map (such as the request
 * line, {@code dev.plugboard.host.logging.RequestLog}), each of its entries. Non-ASCII characters are
 * escaped, so the output is the same in any encoding.
 */
final class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord r) {
        StringBuilder sb = new StringBuilder(200).append('{');
        field(sb, "time", Instant.ofEpochMilli(r.getMillis()).toString());
        sb.append(',');
        field(sb, "level", r.getLevel().getName());
        sb.append(',');
        field(sb, "logger", r.getLoggerName() == null ? "" : r.getLoggerName());
        sb.append(',');
        field(sb, "thread", Thread.currentThread().getName());
        Object[] params = r.getParameters();
        if (params != null && params.length == 1 && params[0] instanceof Map<?, ?> fields) {
            sb.append(',');
            field(sb, "message", r.getMessage());
            for (Map.Entry<?, ?> e : fields.entrySet()) {
                sb.append(',');
                quote(sb, String.valueOf(e.getKey())).append(':');
                Object v = e.getValue();
                if (v instanceof Number || v instanceof Boolean) {
                    sb.append(v);
                } else {
                    quote(sb, v == null ? null : v.toString());
                }
            }
        } else {
            sb.append(',');
            field(sb, "message", formatMessage(r));
        }
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            sb.append(',');
            field(sb, "error", trace.toString());
        }
        return sb.append('}').append(System.lineSeparator()).toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        quote(sb, name).append(':');
        quote(sb, value);
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        if (s == null) {
            return sb.append("null");
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
