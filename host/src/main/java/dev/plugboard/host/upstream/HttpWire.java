package dev.plugboard.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.upstream.UpstreamTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * An upstream server over Streamable HTTP, in either revision. Each message is a POST whose answer
 * is JSON or an SSE stream. Under 2025-11-25 the session id from the handshake goes with every later
 * request, a GET stream carries what the server sends on its own, a 404 for the session means it
 * expired, and a stream that drops before the answer came is resumed with {@code Last-Event-ID}.
 * Under 2026-07-28 there is no session: every request carries {@code MCP-Protocol-Version},
 * {@code Mcp-Method} and {@code Mcp-Name}, the server's own notifications come on a
 * {@code subscriptions/listen} stream, and closing a request's exchange cancels it.
 *
 * <p>A request sent under a time limit to a plain {@code http} server is written, and its answer
 * read, on the caller's thread over a kept-alive connection ({@link InPlaceHttp}, {@link #sendInPlace});
 * everything else goes through the JDK's HTTP client.
 */
final class HttpWire implements Wire {

    private static final Logger LOG = Logger.getLogger(HttpWire.class.getName());
    /** How many times in a row a dropped stream is resumed without any event arriving in between. */
    private static final int RESUME_ATTEMPTS = 5;
    /**
     * How long a stream read in place may still take to end once its request is answered; past it
     * the stream's connection is closed rather than kept (its caller goes on).
     */
    private static final Duration SETTLE = Duration.ofMillis(50);

    private final UpstreamTarget.Http target;
    private final String name;
    private final ObjectMapper mapper;
    private final HttpClient client;
    /** Requests whose answers are read on the caller's thread, for a plain {@code http} server; else null. */
    private final InPlaceHttp inPlace;
    private final Duration connectTimeout;
    private final Map<JsonNode, InputStream> exchanges = new ConcurrentHashMap<>();
    /** The requests whose POST waits for the server's answer to begin, by id: a cancel aborts them. */
    private final Map<JsonNode, CompletableFuture<HttpResponse<InputStream>>> posting = new ConcurrentHashMap<>();
    private Inbound inbound;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile boolean closed;
    private Thread listening;

    HttpWire(UpstreamTarget.Http target, String name, ObjectMapper mapper, Duration connectTimeout) {
        this.target = target;
        this.name = name;
        this.mapper = mapper;
        this.connectTimeout = connectTimeout;
        // The client's dependent tasks run on the thread that completes them (its selector thread, for
        // an answer), not on a pool of its own: the work after an answer is short (a JSON answer read
        // whole is parsed and its caller woken; an event stream goes to a virtual thread of its own),
        // and handing each answer to a pool thread cost a thread wake-up per call (docs/proxy.md).
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).executor(Runnable::run).build();
        this.inPlace = InPlaceHttp.serves(target.url()) ? new InPlaceHttp(target.url(), connectTimeout) : null;
    }

    @Override
    public void open(Inbound inbound) {
        this.inbound = inbound;
    }

    @Override
    public boolean probes() {
        return true;
    }

    @Override
    public boolean sendsAsync() {
        return true;
    }

    /**
     * A JSON answer of a known length within the limit is read whole before the exchange completes,
     * so the thread that waits for it wakes once, with the answer in hand, instead of once for the
     * headers and again for each part of the body; anything else (an event stream, a body of unknown
     * length) is read as it comes.
     */
    private static final HttpResponse.BodyHandler<InputStream> BODY = info -> {
        long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean json = info.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        return json && length >= 0 && length <= MAX_MESSAGE
                ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                        ByteArrayInputStream::new)
                : HttpResponse.BodySubscribers.ofInputStream();
    };

    /** The body of an answer that was handed on as soon as it was read (see {@link #handedOnWhenRead}). */
    private static final InputStream HANDED_ON = InputStream.nullInputStream();

    /**
     * Like {@link #BODY}, but a JSON answer of a known length with a 2xx status is handed on (parsed,
     * and its caller's future completed) by the thread that read its last byte, the HTTP client's
     * selector thread: the future that {@code sendAsync} returns always completes on another pool
     * (the common fork-join pool), and going through it cost one more thread wake-up per call.
     * Anything else (an error status, an expired session, an event stream) takes the usual way.
     */
    private HttpResponse.BodyHandler<InputStream> handedOnWhenRead(Outgoing message) {
        return info -> {
            long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            boolean json = info.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            if (!json || length < 0 || length > MAX_MESSAGE || info.statusCode() / 100 != 2 || info.statusCode() == 202
                    || info.statusCode() == 204) {
                return BODY.apply(info);
            }
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), bytes -> {
                if (bytes.length > 0) {
                    JsonNode answer;
                    try {
                        answer = mapper.readTree(bytes);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(new Failure("its answer is not JSON"));
                    }
                    inbound.received(answer, message.id());
                }
                return HANDED_ON;
            });
        };
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.url());
        target.headers().forEach(b::header);
        if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            b.header("MCP-Protocol-Version", protocolVersion);
        }
        return b;
    }

    private HttpRequest.Builder post(Outgoing message) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.url());
        headers(message, b::header);
        if (message.handshake() || message.id() == null) {
            // A request's answer may take as long as the call (its caller's time limit cancels it);
            // a handshake, a notification and an answer are accepted at once. The limit covers the
            // answer's headers, not a stream that follows.
            b.timeout(connectTimeout);
        }
        return b.POST(HttpRequest.BodyPublishers.ofByteArray(message.bytes()));
    }

    /** The headers of a message's POST, besides those of HTTP itself. */
    private void headers(Outgoing message, java.util.function.BiConsumer<String, String> header) {
        target.headers().forEach(header);
        if (message.stateless()) {
            header.accept("MCP-Protocol-Version", ClientConnection.STATELESS);
            if (message.method() != null) {
                header.accept("Mcp-Method", mirrored(message.method()));
            }
            if (message.name() != null) {
                header.accept("Mcp-Name", mirrored(message.name()));
            }
        } else {
            String session = sessionId;
            if (session != null) {
                header.accept("Mcp-Session-Id", session);
            }
            String version = protocolVersion;
            if (version != null) {
                header.accept("MCP-Protocol-Version", version);
            }
        }
        header.accept("Content-Type", "application/json");
        header.accept("Accept", "application/json, text/event-stream");
    }

    /**
     * The header lines of a message's POST sent {@link InPlaceHttp in place}, or null when one of
     * them cannot go as it is (the HTTP client's way then says what is wrong with it).
     */
    private String inPlaceHeaders(Outgoing message) {
        StringBuilder lines = new StringBuilder(256);
        boolean[] writable = {true};
        headers(message, (header, value) -> {
            if (!InPlaceHttp.writable(header, value) || RESERVED.contains(header.toLowerCase(java.util.Locale.ROOT))) {
                writable[0] = false;
            }
            lines.append(header).append(": ").append(value).append("\r\n");
        });
        return writable[0] ? lines.toString() : null;
    }

    /** Headers an exchange in place writes itself (or never), which configured headers may not set. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("host", "content-length", "connection",
            "transfer-encoding", "expect", "upgrade", "te", "keep-alive", "trailer");

    /** A header value as the stateless revision mirrors it: visible ASCII as it is, anything else in Base64. */
    static String mirrored(String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)
                && value.charAt(0) != ' ' && value.charAt(value.length() - 1) != ' ' && !value.startsWith("=?");
        return plain ? value
                : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    @Override
    public void send(Outgoing message) throws IOException {
        if (closed) {
            throw new Failure("the connection is closed");
        }
        HttpResponse<InputStream> response = posted(message);
        answered(message, response.statusCode(), response.headers(), response.body(), false, Long.MAX_VALUE);
    }

    /**
     * Sends a request without a thread waiting for its answer: the HTTP client's own threads take the
     * answer, and a JSON answer already read whole is handed on right there (it is parsed, and the
     * caller's future completed, without waking any other thread); an answer still to be read (an
     * event stream, a body of unknown length) is read on a virtual thread.
     */
    @Override
    public CompletableFuture<Void> sendLater(Outgoing message, String threadName) {
        if (closed) {
            return CompletableFuture.failedFuture(new Failure("the connection is closed"));
        }
        CompletableFuture<HttpResponse<InputStream>> exchange = client.sendAsync(post(message).build(),
                handedOnWhenRead(message));
        if (message.id() != null) {
            posting.put(message.id(), exchange); // before the answer is taken below, which removes it
        }
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        exchange.whenComplete((response, failure) -> {
            if (message.id() != null) {
                posting.remove(message.id(), exchange);
            }
            if (failure != null) {
                delivered.completeExceptionally(failure instanceof CancellationException
                        ? new Failure("the request was cancelled") : unwrapped(failure));
            } else if (response.body() == HANDED_ON) {
                delivered.complete(null);
            } else if (response.body() instanceof ByteArrayInputStream) {
                handOn(message, response, delivered, false);
            } else {
                Thread.ofVirtual().name(threadName).start(() -> handOn(message, response, delivered, true));
            }
        });
        return delivered;
    }

    /**
     * A request to a plain {@code http} server, sent and answered on the caller's thread over a
     * connection kept alive ({@link InPlaceHttp}): no thread of the HTTP client takes part, so the
     * caller wakes once, when the answer has come. An event stream's answer is read here too (its
     * progress and log messages handed on as they come), under the same deadline, and its end awaited
     * at most {@link #SETTLE} after the answer, so that its connection is kept; an expired session or
     * an error status is handled as with {@link #sendLater}.
     */
    @Override
    public boolean sendInPlace(Outgoing message, long deadline) throws IOException {
        if (inPlace == null || closed || message.id() == null || message.handshake()) {
            return false;
        }
        String headers = inPlaceHeaders(message);
        if (headers == null) {
            return false;
        }
        InPlaceHttp.Answer answer = inPlace.post(message.id(), headers, message.bytes(), deadline);
        if (answer.body() instanceof InPlaceHttp.Timed stream) {
            stream.readUntil(deadline); // an event stream is read here too, under the call's limit
        }
        answered(message, answer.status(), answer.headers(), answer.body(), true, deadline);
        if (System.nanoTime() - deadline >= 0 && inbound.awaiting(message.id())) {
            throw new TimedOut(); // its stream ran past the limit without the answer
        }
        return true;
    }

    private static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        cause = cause instanceof java.io.UncheckedIOException u ? u.getCause() : cause;
        cause = cause instanceof IOException io && io.getCause() instanceof Failure f ? f : cause;
        return cause instanceof CancellationException ? new Failure("the request was cancelled")
                : cause instanceof IOException ? cause : new IOException(cause);
    }

    private void handOn(Outgoing message, HttpResponse<InputStream> response, CompletableFuture<Void> delivered,
            boolean mayBlock) {
        try {
            answered(message, response.statusCode(), response.headers(), response.body(), mayBlock, Long.MAX_VALUE);
            delivered.complete(null);
        } catch (IOException | RuntimeException e) {
            delivered.completeExceptionally(e);
        }
    }

    /**
     * What an answer carries, handed on: the session id of a handshake, an expired session, a JSON
     * answer, or an event stream (read here when this thread may block on it, else on a thread of its own).
     *
     * @param deadline the {@link System#nanoTime()} past which an event stream read here is not
     *     resumed; {@link Long#MAX_VALUE} for none
     */
    private void answered(Outgoing message, int status, java.net.http.HttpHeaders headers, InputStream body,
            boolean mayBlock, long deadline) throws IOException {
        boolean initialize = "initialize".equals(message.method());
        if (!message.stateless() && sessionId != null && (status == 404 || status == 400 && mentionsSession(body))) {
            sessionId = null;
            throw new SessionExpired();
        }
        if (status == 202 || status == 204) {
            body.close();
            return;
        }
        if (status / 100 != 2) {
            answerOfFailure(message, status, headers, body);
            return;
        }
        if (initialize) {
            headers.firstValue("Mcp-Session-Id").ifPresent(id -> sessionId = id);
        }
        String type = headers.firstValue("Content-Type").orElse("");
        if (type.startsWith("text/event-stream")) {
            if (message.id() != null) {
                exchanges.put(message.id(), body);
            }
            if (message.handshake() || mayBlock) {
                stream(body, message.id(), message.stateless(), deadline);
            } else {
                Thread.ofVirtual().name("upstream-" + name + "-post")
                        .start(() -> stream(body, message.id(), message.stateless(), Long.MAX_VALUE));
            }
        } else {
            JsonNode answer;
            try (body) {
                // An answer read in place is in memory already, its length checked: taken whole, not through
                // readNBytes's 16 KiB buffers (zeroed and copied once per call, 4% of a proxying server's CPU).
                byte[] bytes = body instanceof java.io.ByteArrayInputStream whole ? whole.readAllBytes()
                        : body.readNBytes(MAX_MESSAGE + 1);
                if (bytes.length == 0) {
                    return;
                }
                if (bytes.length > MAX_MESSAGE) {
                    throw new Failure("its answer is longer than the limit of " + MAX_MESSAGE + " bytes");
                }
                answer = mapper.readTree(bytes);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new Failure("its answer is not JSON");
            }
            inbound.received(answer, message.id());
        }
    }

    /** Posts a message and waits for the answer's headers; a request's POST is aborted by {@link #abandon}. */
    private HttpResponse<InputStream> posted(Outgoing message) throws IOException {
        CompletableFuture<HttpResponse<InputStream>> exchange = client.sendAsync(post(message).build(), BODY);
        if (message.id() != null) {
            posting.put(message.id(), exchange);
        }
        try {
            return exchange.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (CancellationException e) {
            throw new Failure("the request was cancelled");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while sending");
        } finally {
            if (message.id() != null) {
                posting.remove(message.id(), exchange);
            }
        }
    }

    /**
     * An HTTP error: the stateless revision answers some JSON-RPC errors with a 4xx and the error in
     * the body (a removed method, a version it does not speak); that error is the request's answer.
     * Anything else fails the send.
     */
    private void answerOfFailure(Outgoing message, int status, java.net.http.HttpHeaders headers, InputStream in)
            throws IOException {
        byte[] body;
        try (in) {
            body = in.readNBytes(65_536);
        }
        if (message.id() != null && headers.firstValue("Content-Type").orElse("").startsWith("application/json")) {
            try {
                JsonNode tree = mapper.readTree(body);
                if (tree != null && tree.has("error") && sameId(tree.path("id"), message.id())) {
                    inbound.received(tree, message.id());
                    return;
                }
            } catch (IOException e) {
                // not JSON after all: the status says it
            }
        }
        throw new Failure("the server answered HTTP " + status);
    }

    private static boolean sameId(JsonNode a, JsonNode b) {
        return a.isIntegralNumber() && b.isIntegralNumber() ? a.asLong() == b.asLong() : a.equals(b);
    }

    /**
     * Whether a 400 answer is about the session: the protocol says 404 for a session the server no
     * longer knows, but some servers (the reference "everything" server among them) answer 400 with
     * an error naming the session.
     */
    private static boolean mentionsSession(InputStream answer) throws IOException {
        try (InputStream body = answer) {
            String text = new String(body.readNBytes(4096), StandardCharsets.UTF_8);
            return text.toLowerCase(java.util.Locale.ROOT).contains("session");
        }
    }

    /**
     * Reads a request's stream; when it drops before the answer came (and the server numbered its
     * events), resumes it with a GET carrying {@code Last-Event-ID}, as the session revision allows.
     */
    private void stream(InputStream body, JsonNode id, boolean stateless, long deadline) {
        SseReader.Position position = new SseReader.Position();
        try {
            if (!read(body, id, position)) {
                return;
            }
        } finally {
            if (id != null) {
                exchanges.remove(id);
            }
        }
        int attempts = 0;
        while (!closed && !stateless && id != null && inbound.awaiting(id) && position.lastEventId() != null
                && millisLeft(deadline) > 0 && attempts++ < RESUME_ATTEMPTS) {
            String resumeFrom = position.lastEventId();
            try {
                Thread.sleep(Math.min(position.retryMillis(500), millisLeft(deadline)));
                HttpResponse<InputStream> resumed = client.send(request().header("Accept", "text/event-stream")
                        .header("Last-Event-ID", resumeFrom).timeout(connectTimeout).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (resumed.statusCode() != 200) {
                    resumed.body().close();
                    LOG.fine(() -> "Upstream " + name + ": resuming a stream was answered HTTP " + resumed.statusCode());
                    continue;
                }
                LOG.fine(() -> "Upstream " + name + ": resuming the stream of request " + id + " after event " + resumeFrom);
                exchanges.put(id, resumed.body());
                boolean broken = !read(resumed.body(), id, position);
                exchanges.remove(id);
                if (broken) {
                    return;
                }
                if (!resumeFrom.equals(position.lastEventId())) {
                    attempts = 0; // it moved on: a fresh series of attempts
                }
            } catch (IOException e) {
                LOG.fine(() -> "Upstream " + name + ": resuming a stream failed: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Milliseconds until a {@link System#nanoTime()} deadline ({@link Long#MAX_VALUE}: none, so as many as fit). */
    private static long millisLeft(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE
                : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    /**
     * Reads a stream to its end; false when it broke the size limit (the request it answers fails).
     * A stream read in place ({@link InPlaceHttp.Timed}) waits for its end at most {@link #SETTLE}
     * once its request is answered: the server should end it then, and its caller is waiting.
     */
    private boolean read(InputStream body, JsonNode related, SseReader.Position position) {
        try {
            SseReader.read(body, position, (event, data) -> {
                deliver(data, related);
                if (body instanceof InPlaceHttp.Timed timed && related != null && !inbound.awaiting(related)) {
                    timed.readUntil(System.nanoTime() + SETTLE.toNanos());
                }
            });
        } catch (Failure e) {
            LOG.info(() -> "Upstream " + name + ": " + e.getMessage() + "; the stream is closed");
            closeQuietly(body);
            if (related != null) {
                inbound.failed(related, e.getMessage());
            }
            return false;
        } catch (IOException e) {
            if (!closed) {
                LOG.fine(() -> "Upstream " + name + ": a stream ended early: " + e.getMessage());
            }
        }
        return true;
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // it is gone either way
        }
    }

    private void deliver(String data, JsonNode related) {
        try {
            inbound.received(mapper.readTree(data), related);
        } catch (IOException e) {
            LOG.warning(() -> "Upstream " + name + " sent an event that is not JSON");
        }
    }

    @Override
    public void abandon(JsonNode id) {
        CompletableFuture<HttpResponse<InputStream>> waiting = posting.remove(id);
        if (waiting != null) {
            waiting.cancel(true); // the HTTP client aborts the exchange
        }
        InputStream exchange = exchanges.remove(id);
        if (exchange != null) {
            closeQuietly(exchange);
        }
        if (inPlace != null) {
            inPlace.abort(id);
        }
    }

    @Override
    public void initialized(String version, Outgoing listen) {
        if (listen == null) {
            this.protocolVersion = version;
        }
        if (listening == null) {
            listening = Thread.ofVirtual().name("upstream-" + name + "-listen").start(() -> listen(listen));
        }
    }

    /**
     * Holds the stream of the server's own messages open while the connection lives: the GET
     * stream of a session (resumed from its last event; servers that offer none answer 405), or a
     * {@code subscriptions/listen} request under the stateless revision.
     */
    private void listen(Outgoing subscribe) {
        long backoff = 500;
        SseReader.Position position = new SseReader.Position();
        while (!closed) {
            try {
                HttpRequest.Builder get;
                if (subscribe != null) {
                    get = post(subscribe);
                } else {
                    get = request().header("Accept", "text/event-stream").timeout(connectTimeout).GET();
                    if (position.lastEventId() != null) {
                        get.header("Last-Event-ID", position.lastEventId());
                    }
                }
                HttpResponse<InputStream> response = client.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() == 405 || subscribe != null && response.statusCode() / 100 == 4) {
                    response.body().close();
                    return;
                }
                if (response.statusCode() == 200) {
                    backoff = 500;
                    read(response.body(), null, position);
                } else {
                    response.body().close();
                }
            } catch (IOException e) {
                LOG.fine(() -> "Upstream " + name + ": the stream of its own messages failed: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(Math.max(backoff, position.retryMillis(0)));
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 30_000);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        if (listening != null) {
            listening.interrupt();
        }
        posting.keySet().forEach(this::abandon);
        exchanges.keySet().forEach(this::abandon);
        if (sessionId != null) {
            try {
                client.send(request().DELETE().timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                LOG.fine(() -> "Upstream " + name + ": ending the session failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (inPlace != null) {
            inPlace.close();
        }
        client.shutdownNow(); // close() would wait for the GET stream, which may never end
    }
}
