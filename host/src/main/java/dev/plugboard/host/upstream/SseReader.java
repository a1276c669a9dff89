package dev.plugboard.host.upstream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads a server-sent event stream, remembering the last event id and retry time for resumption. */
final class SseReader {

    /** Where a stream got to: its last event id and the server's {@code retry:} advice. */
    static final class Position {
        private volatile String lastEventId;
        private volatile long retryMillis = -1;

        /** The id of the last event that had one, or null. */
        String lastEventId() {
            return lastEventId;
        }

        /** The server's advice on how long to wait before reconnecting, or the fallback. */
        long retryMillis(long fallback) {
            long r = retryMillis;
            return r < 0 ? fallback : Math.min(r, 30_000);
        }
    }

    /** Hears one event. */
    @FunctionalInterface
    interface Events {
        /**
         * @param event the event's type ({@code message} when the server gave none)
         * @param data its data, lines joined with newlines
         */
        void event(String event, String data) throws IOException;
    }

    private SseReader() {
    }

    /** Reads the stream to its end. */
    static void read(InputStream stream, Position position, Events events) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String event = null;
            boolean hasData = false;
            for (String line; (line = in.readLine()) != null;) {
                if (line.isEmpty()) {
                    if (hasData && !data.isEmpty()) {
                        events.event(event == null ? "message" : event, data.toString());
                    }
                    data.setLength(0);
                    hasData = false;
                    event = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(": ", colon) ? 2 : 1));
                switch (field) {
                    case "data" -> {
                        if (hasData) {
                            data.append('\n');
                        }
                        data.append(value);
                        hasData = true;
                    }
                    case "event" -> event = value;
                    case "id" -> {
                        if (!value.contains("\0")) {
                            position.lastEventId = value;
                        }
                    }
                    case "retry" -> {
                        try {
                            position.retryMillis = Long.parseLong(value.trim());
                        } catch (NumberFormatException e) {
                            // ignored, as the format says
                        }
                    }
                    default -> {
                        // unknown fields are ignored
                    }
                }
            }
            if (hasData && !data.isEmpty()) {
                events.event(event == null ? "message" : event, data.toString());
            }
        }
    }
}
