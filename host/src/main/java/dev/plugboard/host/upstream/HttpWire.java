package dev.plugboard.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.upstream.UpstreamTarget;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;

/**
 * An upstream server over Streamable HTTP, in either revision. Each message is a POST whose answer
 * is JSON or an SSE stream. Under 2025-11-25 the session id from the handshake goes with every later
 * request, a GET stream carries what the server sends on its own, a 404 for the session means it
 * expired, and a stream that drops before the answer came is resumed with {@code Last-Event-ID}.
 * Under 2026-07-28 there is no session: every request carries {@code MCP-Protocol-Version},
 * {@code Mcp-Method} and {@code Mcp-Name}, the server's own notifications come on a
 * {@code subscriptions/listen} stream, and closing a request's exchange cancels it.
 */
final class HttpWire implements Wire {

    private static final Logger LOG = Logger.getLogger(HttpWire.class.getName());
    /** How many times in a row a dropped stream is resumed without any event arriving in between. */
    private static final int RESUME_ATTEMPTS = 5;

    private final UpstreamTarget.Http target;
    private final String name;
    private final ObjectMapper mapper;
    private final HttpClient client;
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
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
                        java.io.ByteArrayInputStream::new)
                : HttpResponse.BodySubscribers.ofInputStream();
    };

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
        HttpRequest.Builder b;
        if (message.stateless()) {
            b = HttpRequest.newBuilder(target.url());
            target.headers().forEach(b::header);
            b.header("MCP-Protocol-Version", ClientConnection.STATELESS);
            if (message.method() != null) {
                b.header("Mcp-Method", mirrored(message.method()));
            }
            if (message.name() != null) {
                b.header("Mcp-Name", mirrored(message.name()));
            }
        } else {
            b = request();
        }
        if (message.handshake() || message.id() == null) {
            // A request's answer may take as long as the call (its caller's time limit cancels it);
            // a handshake, a notification and an answer are accepted at once. The limit covers the
            // answer's headers, not a stream that follows.
            b.timeout(connectTimeout);
        }
        return b.header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.bytes()));
    }

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
        boolean initialize = "initialize".equals(message.method());
        HttpResponse<InputStream> response = posted(message);
        int status = response.statusCode();
        if (!message.stateless() && sessionId != null && (status == 404 || status == 400 && mentionsSession(response))) {
            sessionId = null;
            throw new SessionExpired();
        }
        if (status == 202 || status == 204) {
            response.body().close();
            return;
        }
        if (status / 100 != 2) {
            answerOfFailure(message, response);
            return;
        }
        if (initialize) {
            response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> sessionId = id);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("text/event-stream")) {
            if (message.id() != null) {
                exchanges.put(message.id(), response.body());
            }
            if (message.handshake()) {
                stream(response.body(), message.id(), message.stateless());
            } else {
                Thread.ofVirtual().name("upstream-" + name + "-post")
                        .start(() -> stream(response.body(), message.id(), message.stateless()));
            }
        } else {
            JsonNode answer;
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(MAX_MESSAGE + 1);
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
    private void answerOfFailure(Outgoing message, HttpResponse<InputStream> response) throws IOException {
        int status = response.statusCode();
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(65_536);
        }
        if (message.id() != null && response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
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
    private static boolean mentionsSession(HttpResponse<InputStream> response) throws IOException {
        try (InputStream body = response.body()) {
            String text = new String(body.readNBytes(4096), StandardCharsets.UTF_8);
            return text.toLowerCase(java.util.Locale.ROOT).contains("session");
        }
    }

    /**
     * Reads a request's stream; when it drops before the answer came (and the server numbered its
     * events), resumes it with a GET carrying {@code Last-Event-ID}, as the session revision allows.
     */
    private void stream(InputStream body, JsonNode id, boolean stateless) {
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
                && attempts++ < RESUME_ATTEMPTS) {
            String resumeFrom = position.lastEventId();
            try {
                Thread.sleep(position.retryMillis(500));
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

    /** Reads a stream to its end; false when it broke the size limit (the request it answers fails). */
    private boolean read(InputStream body, JsonNode related, SseReader.Position position) {
        try {
            SseReader.read(body, position, (event, data) -> deliver(data, related));
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
        client.shutdownNow(); // close() would wait for the GET stream, which may never end
    }
}
