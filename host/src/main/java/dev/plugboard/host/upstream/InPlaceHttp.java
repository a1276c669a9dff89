package dev.plugboard.host.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * Plain blocking HTTP/1.1 POSTs to one {@code http} server on the calling thread, over a few
 * connections kept alive between requests. The HTTP client of the JDK does all its socket I/O on a
 * selector thread of its own, so a request sent through it hands off from the caller to that thread
 * and back; here the caller writes the request and reads the answer itself, and the only wake-up is
 * its own when the answer arrives (docs/proxy.md, bench/profile.md "Proxy hop").
 *
 * <p>The answer's head, and its body unless it is an event stream, are read under the request's
 * deadline (a socket read timeout): a server that takes longer has its connection closed. An idle
 * connection is checked before it is used again (one the server closed is dropped), and kept only
 * when the answer said nothing against it and its body had a known end. An event stream's body is
 * handed back as a stream ({@link Timed}: its reader gives its reads a deadline); closed after its
 * end, its connection is kept as for any other answer, closed before, its connection is closed.
 * Thread-safe.
 */
final class InPlaceHttp implements AutoCloseable {

    /** The most connections kept open while idle; any more are closed after their exchange. */
    private static final int MAX_IDLE = 64;
    /** The longest head (status line and headers) of an answer, in bytes. */
    private static final int MAX_HEAD = 64 * 1024;

    /**
     * An answer.
     *
     * @param body the whole body, read; or, for an event stream, the live stream (closing it before
     *     its end closes the connection; after, a kept-alive connection is used again)
     */
    record Answer(int status, HttpHeaders headers, InputStream body) {
    }

    /** An event stream's body, whose reads may be given a deadline (none at first). */
    interface Timed {
        /**
         * From now on, a read that would wait past this {@link System#nanoTime()} fails with a
         * {@link java.net.SocketTimeoutException} (the stream, and its connection, then end).
         */
        void readUntil(long deadline);
    }

    private final String host;
    private final int port;
    private final byte[] requestLine;
    private final Duration connectTimeout;
    private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final Map<Object, Connection> busy = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Whether requests to that address can be sent this way: a plain {@code http} URL with a host. */
    static boolean serves(URI url) {
        return "http".equalsIgnoreCase(url.getScheme()) && url.getHost() != null && url.getRawUserInfo() == null
                && url.getRawFragment() == null;
    }

    /** @param url a URL that {@link #serves} accepts */
    InPlaceHttp(URI url, Duration connectTimeout) {
        this.host = url.getHost();
        this.port = url.getPort() < 0 ? 80 : url.getPort();
        this.connectTimeout = connectTimeout;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String hostHeader = url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        this.requestLine = ("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether a header may be written as it is: a token for a name, visible ASCII (and spaces) for a value. */
    static boolean writable(String name, String value) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Posts a body and reads the answer: its head, and its whole body unless it is an event stream.
     *
     * @param key what {@link #abort} closes the exchange by (the request's id)
     * @param headers the request's header lines besides {@code Host} and {@code Content-Length},
     *     each ending in CRLF, already {@link #writable checked}
     * @param deadline the {@link System#nanoTime()} by which the answer must have come
     * @throws Wire.TimedOut when the deadline passed first
     * @throws IOException when the server could not be reached, closed the exchange, or did not answer in HTTP
     */
    Answer post(Object key, String headers, byte[] body, long deadline) throws IOException {
        Connection c = connection(deadline, true);
        try {
            return exchange(key, c, headers, body, deadline);
        } catch (Stale e) {
            // The server closed the kept connection while it was idle, too late for the check before
            // its use: the request never reached it (not a byte came back), so it goes once more, on
            // a new connection.
            return exchange(key, connection(deadline, false), headers, body, deadline);
        }
    }

    private Answer exchange(Object key, Connection c, String headers, byte[] body, long deadline) throws IOException {
        busy.put(key, c);
        Answer answer;
        try {
            c.write(headers, body);
            answer = c.answer(deadline);
        } catch (SocketTimeoutException e) {
            busy.remove(key, c);
            c.close();
            throw new Wire.TimedOut();
        } catch (IOException | RuntimeException e) {
            boolean aborted = !busy.remove(key, c);
            c.close();
            if (c.reused && !c.answering && !aborted && !closed && e instanceof IOException
                    && !Thread.currentThread().isInterrupted()) {
                throw new Stale();
            }
            throw e;
        }
        if (busy.remove(key, c) && c.reusable && !closed && idle.size() < MAX_IDLE) {
            c.reused = true;
            idle.push(c);
            if (closed) {
                close(); // closed meanwhile: nothing is left behind open
            }
        } else if (!(answer.body() instanceof Connection.Stream)) {
            c.close(); // not to be used again, or aborted meanwhile
        }
        return answer;
    }

    /** A kept connection turned out closed before any of the answer came. */
    private static final class Stale extends IOException {
        private static final long serialVersionUID = 1L;

        Stale() {
            super(null, null);
        }
    }

    /** Closes the connection of the exchange with that key, if it is under way: its reader fails at once. */
    void abort(Object key) {
        Connection c = busy.remove(key);
        if (c != null) {
            c.close();
        }
    }

    /** An idle connection the server did not close, or a new one. */
    private Connection connection(long deadline, boolean kept) throws IOException {
        for (Connection c; kept && (c = idle.poll()) != null;) {
            if (c.usable()) {
                return c;
            }
            c.close();
        }
        if (closed) {
            throw new Wire.Failure("the connection is closed");
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new Wire.TimedOut();
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(host, port),
                    (int) Math.max(1, Math.min(left, connectTimeout.toMillis())));
            return new Connection(channel);
        } catch (SocketTimeoutException e) {
            channel.close();
            throw left <= connectTimeout.toMillis() ? new Wire.TimedOut()
                    : new Wire.Failure("it did not accept a connection within " + connectTimeout.toMillis() + " ms");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.poll()) != null;) {
            c.close();
        }
        busy.values().forEach(Connection::close);
        busy.clear();
    }

    /** One connection: its reads time out at the exchange's deadline; it is interrupted with its thread. */
    private final class Connection {
        private final SocketChannel channel;
        private final InputStream in;
        private final byte[] buffer = new byte[8192];
        private final ByteBuffer peek = ByteBuffer.allocate(1);
        private int pos;
        private int limit;
        /** Whether the last answer leaves the connection fit for another request. */
        private boolean reusable;
        /** Whether it carried an exchange before the current one. */
        private boolean reused;
        /** Whether any byte of the current exchange's answer came. */
        private boolean answering;

        Connection(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.in = channel.socket().getInputStream();
        }

        /** Whether the server has not closed it, nor sent anything unasked, while it was idle. */
        boolean usable() {
            try {
                channel.configureBlocking(false);
                peek.clear();
                int n = channel.read(peek);
                channel.configureBlocking(true);
                return n == 0;
            } catch (IOException e) {
                return false;
            }
        }

        /** Writes a request; not timed (the kernel takes a request of usual size at once), but stopped by {@link #abort}. */
        void write(String headers, byte[] body) throws IOException {
            byte[] head = (headers + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer[] out = {ByteBuffer.wrap(requestLine), ByteBuffer.wrap(head), ByteBuffer.wrap(body)};
            while (out[2].hasRemaining()) {
                channel.write(out);
            }
            reusable = false;
            answering = false;
            pos = 0;
            limit = 0;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // it is closed either way
            }
        }

        /** Reads the answer's head, then its body (or hands it back as a stream, for an event stream). */
        Answer answer(long deadline) throws IOException {
            int[] headBytes = {0};
            while (true) {
                String status = line(deadline, headBytes);
                if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                    throw new Wire.Failure("its answer is not HTTP");
                }
                int code;
                try {
                    code = Integer.parseInt(status.substring(9, 12));
                } catch (NumberFormatException e) {
                    throw new Wire.Failure("its answer is not HTTP");
                }
                Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (String line = line(deadline, headBytes); !line.isEmpty(); line = line(deadline, headBytes)) {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        throw new Wire.Failure("its answer's headers are not HTTP");
                    }
                    fields.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>(1))
                            .add(line.substring(colon + 1).trim());
                }
                if (code / 100 == 1) {
                    continue; // an interim answer: the final one follows
                }
                return body(code, status.startsWith("HTTP/1.0"), HttpHeaders.of(fields, (n, v) -> true), deadline);
            }
        }

        private Answer body(int code, boolean http10, HttpHeaders headers, long deadline) throws IOException {
            boolean chunked = headers.allValues("Transfer-Encoding").stream()
                    .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
            long length = -1;
            if (!chunked && headers.firstValue("Content-Length").isPresent()) {
                try {
                    length = Long.parseLong(headers.firstValue("Content-Length").get());
                } catch (NumberFormatException e) {
                    length = -2;
                }
                if (length < 0) {
                    throw new Wire.Failure("its answer's length is not a number");
                }
            }
            boolean empty = code == 204 || code == 304;
            boolean keptAlive = !http10 && headers.allValues("Connection").stream()
                    .noneMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
            if (headers.firstValue("Content-Type").orElse("").startsWith("text/event-stream") && !empty) {
                channel.socket().setSoTimeout(0); // a stream may be quiet for long: its reader gives its reads a deadline
                return new Answer(code, headers, new Stream(chunked, length, keptAlive && (chunked || length >= 0)));
            }
            byte[] bytes;
            if (empty) {
                bytes = new byte[0];
            } else if (length > Wire.MAX_MESSAGE) {
                throw new Wire.Failure("its answer is longer than the limit of " + Wire.MAX_MESSAGE + " bytes");
            } else {
                bytes = new Stream(chunked, length, false).readAll(deadline);
            }
            reusable = keptAlive && (empty || chunked || length >= 0);
            return new Answer(code, headers, new java.io.ByteArrayInputStream(bytes));
        }

        /** Reads a line of the head, without its CRLF. */
        private String line(long deadline, int[] headBytes) throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (pos == limit && fill(deadline) < 0) {
                    throw new Wire.Failure("it closed the connection before it answered");
                }
                byte b = buffer[pos++];
                if (++headBytes[0] > MAX_HEAD) {
                    throw new Wire.Failure("its answer's head is longer than " + MAX_HEAD + " bytes");
                }
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) (b & 0xff));
            }
        }

        /** Reads more into the buffer, waiting until the deadline at the most (none: {@code Long.MAX_VALUE}). */
        private int fill(long deadline) throws IOException {
            if (deadline != Long.MAX_VALUE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                channel.socket().setSoTimeout(Math.clamp(TimeUnit.NANOSECONDS.toMillis(left) + 1, 1,
                        Integer.MAX_VALUE));
            }
            int n = in.read(buffer, 0, buffer.length);
            answering |= n > 0;
            pos = 0;
            limit = Math.max(n, 0);
            return n;
        }

        /**
         * An answer's body as the connection delivers it: by its length, in chunks, or up to the
         * connection's end. Closing it after its end puts a connection the server keeps alive back
         * among the idle ones (an event stream answers each call of a server that streams its
         * answers: without that, each call would open a connection); closing it before closes the
         * connection.
         */
        private final class Stream extends InputStream implements Timed {
            private final boolean chunked;
            /** Bytes left: of the body (by length), of the current chunk, or -1 for up to the end. */
            private long left;
            private boolean ended;
            /** Whether the server keeps the connection after this body (its end is known, no "close"). */
            private final boolean keptAlive;
            /** Set by the first close: a later one (an abandoned call's) must not touch a reused connection. */
            private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
            /** When reads stop waiting ({@link Long#MAX_VALUE}: never). */
            private volatile long readDeadline = Long.MAX_VALUE;

            Stream(boolean chunked, long length, boolean keptAlive) {
                this.chunked = chunked;
                this.keptAlive = keptAlive;
                this.left = chunked ? 0 : length;
                this.ended = !chunked && length == 0;
            }

            byte[] readAll(long deadline) throws IOException {
                ByteArrayOutputStream out = new ByteArrayOutputStream(left > 0 ? (int) left : 256);
                while (read(null, 0, 0, deadline, out) >= 0) {
                    if (out.size() > Wire.MAX_MESSAGE) {
                        throw new Wire.Failure("its answer is longer than the limit of " + Wire.MAX_MESSAGE + " bytes");
                    }
                }
                return out.toByteArray();
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int off, int len) throws IOException {
                return read(into, off, len, readDeadline, null);
            }

            @Override
            public void readUntil(long deadline) {
                readDeadline = deadline;
            }

            /**
             * Reads into an array, or (when {@code sink} is given) moves what the buffer holds to
             * the sink; -1 at the body's end.
             */
            private int read(byte[] into, int off, int len, long deadline, ByteArrayOutputStream sink)
                    throws IOException {
                if (ended) {
                    return -1;
                }
                if (chunked && left == 0) {
                    left = chunkSize(deadline);
                    if (left == 0) {
                        trailers(deadline);
                        ended = true;
                        return -1;
                    }
                }
                if (pos == limit && fill(deadline) < 0) {
                    if (left < 0) { // up to the end: this is it
                        ended = true;
                        return -1;
                    }
                    throw new Wire.Failure("it closed the connection before its answer ended");
                }
                int n = limit - pos;
                if (left >= 0) {
                    n = (int) Math.min(n, left);
                }
                if (sink == null) {
                    n = Math.min(n, len);
                    System.arraycopy(buffer, pos, into, off, n);
                } else {
                    sink.write(buffer, pos, n);
                }
                pos += n;
                if (left > 0) {
                    left -= n;
                    if (left == 0 && !chunked) {
                        ended = true;
                    } else if (left == 0) {
                        crlf(deadline);
                    }
                }
                return n;
            }

            private long chunkSize(long deadline) throws IOException {
                String line = line(deadline, new int[1]);
                int semicolon = line.indexOf(';');
                String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
                try {
                    long size = Long.parseLong(hex, 16);
                    if (size < 0) {
                        throw new NumberFormatException(hex);
                    }
                    return size;
                } catch (NumberFormatException e) {
                    throw new Wire.Failure("its answer's chunks are not HTTP");
                }
            }

            private void crlf(long deadline) throws IOException {
                if (!line(deadline, new int[1]).isEmpty()) {
                    throw new Wire.Failure("its answer's chunks are not HTTP");
                }
            }

            private void trailers(long deadline) throws IOException {
                int[] bytes = {0};
                while (!line(deadline, bytes).isEmpty()) {
                    // trailers carry nothing read here
                }
            }

            @Override
            public void close() {
                if (!released.compareAndSet(false, true)) {
                    return;
                }
                // Nothing may follow the body unasked; an idle connection is checked again before its use.
                if (ended && keptAlive && pos == limit && !closed && idle.size() < MAX_IDLE) {
                    reused = true;
                    idle.push(Connection.this);
                    if (closed) {
                        InPlaceHttp.this.close(); // closed meanwhile: nothing is left behind open
                    }
                } else {
                    Connection.this.close();
                }
            }
        }
    }
}
