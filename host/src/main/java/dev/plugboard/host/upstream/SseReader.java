package dev.plugboard.host.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a server-sent event stream, remembering the last event id and retry time for resumption.
 * A line longer than {@link Wire#MAX_MESSAGE} bytes, or an event's data longer than that many
 * characters, fails the stream.
 */
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
        read(stream, position, events, Wire.MAX_MESSAGE);
    }

    /** Reads the stream to its end; a line or an event's data longer than the limit fails it. */
    static void read(InputStream stream, Position position, Events events, int limit) throws IOException {
        try (Lines in = new Lines(stream, limit)) {
            StringBuilder data = new StringBuilder();
            String event = null;
            boolean hasData = false;
            for (String line; (line = in.next()) != null;) {
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
                        if (data.length() + value.length() + 1 > limit) {
                            throw tooLong(limit);
                        }
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

    private static Wire.Failure tooLong(int limit) {
        return new Wire.Failure("its stream sent a message longer than the limit of " + limit + " characters");
    }

    /**
     * Lines ended by CR, LF or CRLF, as the format says, none longer than the limit in bytes. Read as
     * bytes and decoded as UTF-8 a line at a time (CR and LF never occur inside a UTF-8 sequence), so
     * that a stream that answers one call costs a small buffer, not a reader's two 8 KiB ones: a
     * proxy reads one such stream per call.
     */
    private static final class Lines implements AutoCloseable {
        private static final int BUFFER = 2048;
        private final InputStream in;
        private final int limit;
        private final byte[] buffer = new byte[BUFFER];
        private int position;
        private int end;
        private boolean afterCr;

        Lines(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        /** The next line without its end, or null at the end of the stream. */
        String next() throws IOException {
            ByteArrayOutputStream line = null;
            while (true) {
                if (position == end) {
                    int read = in.read(buffer, 0, buffer.length);
                    if (read < 0) {
                        return line == null ? null : line.toString(StandardCharsets.UTF_8);
                    }
                    position = 0;
                    end = read;
                    continue;
                }
                if (afterCr) {
                    afterCr = false;
                    if (buffer[position] == '\n') {
                        position++;
                        continue;
                    }
                }
                int start = position;
                while (position < end && buffer[position] != '\n' && buffer[position] != '\r') {
                    position++;
                }
                if (position - start + (line == null ? 0 : line.size()) > limit) {
                    throw new Wire.Failure("its stream sent a line longer than the limit of " + limit + " bytes");
                }
                if (position < end) {
                    afterCr = buffer[position++] == '\r';
                    if (line == null) {
                        return new String(buffer, start, position - 1 - start, StandardCharsets.UTF_8);
                    }
                    line.write(buffer, start, position - 1 - start);
                    return line.toString(StandardCharsets.UTF_8);
                }
                if (line == null) {
                    line = new ByteArrayOutputStream();
                }
                line.write(buffer, start, position - start);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
