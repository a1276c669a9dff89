package dev.plugboard.host.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

/**
 * Limits on connections, below HTTP request handling: at most {@code maxConnections} open at once
 * (one more is answered 503 with {@code Retry-After} and closed), and a client must send a request's
 * headers within the header timeout, counted from the connection's opening or from the first byte
 * of a request on a kept-alive connection (else 408 and the connection is closed). Requests being
 * handled (long tool calls, SSE streams) are never timed out here. One platform thread checks the
 * deadlines; a request costs two map updates. Thread-safe.
 */
final class ConnectionLimits implements AddOn, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConnectionLimits.class.getName());
    // Boxed once, compared by identity: marking a connection allocates nothing.
    /** Marks a connection whose request is being handled: no header deadline. */
    private static final Long HANDLING = Long.MIN_VALUE;
    /** Marks a connection between requests: the next byte starts the header deadline. */
    private static final Long IDLE = Long.MAX_VALUE;

    private final int maxConnections;
    private final long headerTimeoutNanos;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Connection<?>, Long> deadlines = new ConcurrentHashMap<>();
    /** Connections whose next read starts a request (so starts with its request line). */
    private final Set<Connection<?>> requestAhead = ConcurrentHashMap.newKeySet();
    private final Thread ticker;
    private volatile boolean running = true;

    ConnectionLimits(int maxConnections, Duration headerTimeout) {
        this.maxConnections = maxConnections;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.ticker = Thread.ofPlatform().daemon().name("http-header-timeouts").start(this::tick);
    }

    /** How many connections are open. */
    int open() {
        return open.get();
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int transport = builder.indexOfType(TransportFilter.class);
        builder.add(transport + 1, new RawSide());
        int codec = builder.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class);
        builder.add(codec + 1, new MessageSide());
    }

    /** Sees connections open and close, and raw bytes arrive. */
    private final class RawSide extends BaseFilter {

        @Override
        public NextAction handleAccept(FilterChainContext ctx) throws IOException {
            Connection<?> connection = ctx.getConnection();
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                LOG.fine(() -> "Refused a connection: " + maxConnections + " are open (http.maxConnections)");
                refuse(connection, 503, "Service Unavailable", "Retry-After: 5\r\n",
                        "the server has reached its limit of " + maxConnections + " connections; try again later");
                return ctx.getStopAction();
            }
            deadlines.put(connection, System.nanoTime() + headerTimeoutNanos);
            requestAhead.add(connection);
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            Connection<?> connection = ctx.getConnection();
            Long deadline = deadlines.get(connection);
            if (deadline == null || deadline == HANDLING) {
                return ctx.getInvokeAction();
            }
            if (deadline == IDLE) {
                deadlines.replace(connection, IDLE, System.nanoTime() + headerTimeoutNanos);
            }
            // Only the read that starts a request holds its request line; later reads of the same
            // request (a line or headers split over several reads) hold what follows it.
            if (requestAhead.remove(connection) && ctx.getMessage() instanceof Buffer bytes) {
                if (!plausibleRequestLine(bytes)) {
                    deadlines.computeIfPresent(connection, (c, d) -> HANDLING);
                    refuse(connection, 400, "Bad Request", "", "the request line is malformed or names an HTTP "
                            + "version other than HTTP/1.1 or HTTP/1.0");
                    return ctx.getStopAction();
                }
                UpgradeOffers.neutralise(bytes);
            }
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleClose(FilterChainContext ctx) throws IOException {
            requestAhead.remove(ctx.getConnection());
            if (deadlines.remove(ctx.getConnection()) != null) {
                open.decrementAndGet();
            }
            return ctx.getInvokeAction();
        }
    }

    /** Sees parsed requests start (their headers are complete) and responses end. */
    private final class MessageSide extends BaseFilter {

        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            if (ctx.getMessage() instanceof HttpContent) {
                deadlines.computeIfPresent(ctx.getConnection(), (c, d) -> HANDLING);
            }
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleWrite(FilterChainContext ctx) throws IOException {
            if (ctx.getMessage() instanceof HttpContent content && content.isLast()
                    && deadlines.replace(ctx.getConnection(), HANDLING, IDLE)) {
                requestAhead.add(ctx.getConnection());
            }
            return ctx.getInvokeAction();
        }
    }

    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether the first line of a request, when these bytes (the first read of the request) hold all
     * of it, reads {@code METHOD SP TARGET SP HTTP/1.x}; a line not complete in the first read passes
     * (the codec judges it).
     * Grizzly would answer other versions 505, a server error, for what is a client's mistake.
     */
    static boolean plausibleRequestLine(Buffer bytes) {
        int start = bytes.position();
        int end = Math.min(bytes.limit(), start + 8192);
        int newline = -1;
        int spaces = 0;
        int lastSpace = -1;
        for (int i = start; i < end; i++) {
            byte b = bytes.get(i);
            if (b == '\n') {
                newline = i;
                break;
            }
            if (b == ' ') {
                spaces++;
                lastSpace = i;
            }
        }
        if (newline < 0) {
            return true;
        }
        int versionEnd = newline > start && bytes.get(newline - 1) == '\r' ? newline - 1 : newline;
        if (newline == start || versionEnd == start) {
            return true; // an empty line before a request is tolerated (RFC 9112, 2.2)
        }
        if (spaces != 2 || versionEnd - lastSpace - 1 != HTTP_1.length + 1) {
            return false;
        }
        for (int i = 0; i < HTTP_1.length; i++) {
            if (bytes.get(lastSpace + 1 + i) != HTTP_1[i]) {
                return false;
            }
        }
        byte minor = bytes.get(versionEnd - 1);
        return minor == '0' || minor == '1';
    }

    private void tick() {
        long period = Math.max(Duration.ofMillis(20).toNanos(), Math.min(headerTimeoutNanos / 4,
                Duration.ofMillis(250).toNanos()));
        while (running) {
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            deadlines.forEach((connection, deadline) -> {
                if (deadline != HANDLING && deadline != IDLE && now - deadline.longValue() >= 0
                        && deadlines.replace(connection, deadline, HANDLING)) {
                    LOG.fine(() -> "Closed a connection that sent no complete request headers in time");
                    refuse(connection, 408, "Request Timeout", "",
                            "the request headers did not arrive within the time limit");
                }
            });
        }
    }

    /** Answers a connection outside HTTP request handling, with a small JSON body, and closes it. */
    private static void refuse(Connection<?> connection, int status, String reason, String extraHeaders,
            String detail) {
        byte[] body = Problems.json(status, reason, detail);
        byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\n" + extraHeaders
                + "Content-Type: " + Problems.MEDIA_TYPE + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        Buffer buffer = Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, all);
        @SuppressWarnings("unchecked")
        Connection<Object> c = (Connection<Object>) connection;
        c.write(buffer, new EmptyCompletionHandler<WriteResult<Buffer, Object>>() {
            @Override
            public void completed(WriteResult<Buffer, Object> result) {
                connection.closeSilently();
            }

            @Override
            public void failed(Throwable throwable) {
                connection.closeSilently();
            }
        });
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(ticker);
        deadlines.clear();
    }
}
