package dev.plugboard.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.tools.ParamHeaders;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.tracing.TraceContext;
import dev.plugboard.host.session.Sessions;
import dev.plugboard.host.session.StoreUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.DataChunk;
import org.glassfish.grizzly.http.util.HttpStatus;
import org.glassfish.grizzly.http.util.MimeHeaders;

/**
 * The MCP endpoint over Streamable HTTP, for both eras on one URL.
 *
 * <p>Session-based revisions: POST carries messages, GET opens (or resumes) a stream, DELETE ends a
 * session. Stateless revision: every POST is a self-contained request checked against its headers;
 * {@code subscriptions/listen} holds its response open as a stream. Runs on virtual threads, so it
 * blocks freely.
 */
final class McpHttpHandler extends HttpHandler {

    private static final Logger LOG = Logger.getLogger(McpHttpHandler.class.getName());
    /** How long a POST answered with SSE may hold its stream's headers back, hoping to answer in one write. */
    private static final Duration STREAM_OPEN_DELAY = Duration.ofMillis(50);
    /** How long a request runs before the server watches for its client hanging up. */
    private static final Duration HANG_UP_WATCH_DELAY = Duration.ofMillis(100);
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";
    private static final int SESSION_NOT_FOUND = -32001;

    private final McpEngine engine;
    private final Sessions sessions;
    private final JsonRpcCodec codec;
    private final HttpSettings settings;
    private final Map<String, SessionStreams> streams = new ConcurrentHashMap<>();
    private final HeldStreams held;
    private final HangUps hangUps = new HangUps(HANG_UP_WATCH_DELAY);

    McpHttpHandler(McpEngine engine, Sessions sessions, JsonRpcCodec codec, HttpSettings settings) {
        this.engine = engine;
        this.sessions = sessions;
        this.codec = codec;
        this.settings = settings;
        this.held = settings.responseMode() == HttpSettings.ResponseMode.SSE ? new HeldStreams(STREAM_OPEN_DELAY) : null;
        sessions.store().onStreamTakenElsewhere(this::streamTakenElsewhere);
    }

    /** Stops the threads that watch for hang-ups and open held streams. */
    void close() {
        hangUps.close();
        if (held != null) {
            held.close();
        }
    }

    /** The streams of a session, made on first use. */
    private SessionStreams streamsOf(Session session) {
        return streams.computeIfAbsent(session.id(), id -> new SessionStreams(session.version().resumableStreams(),
                codec, id, sessions.store()));
    }

    /** Another node took a session's stream of unprompted messages: this node's copy lets it go. */
    private void streamTakenElsewhere(String sessionId) {
        SessionStreams held = streams.get(sessionId);
        SseChannel released = held == null ? null : held.releaseUnprompted();
        if (released != null) {
            sessions.held(sessionId).ifPresent(s -> s.detachStream(released));
        }
    }

    /** Forgets the streams of a session that ended. */
    void sessionClosed(Session session) {
        streams.remove(session.id());
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        // The front door has checked Host and Origin.
        String origin = request.getHeader("Origin");
        if (origin != null) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Expose-Headers", SESSION_HEADER + ", " + VERSION_HEADER);
            response.setHeader("Vary", "Origin");
        }
        Method method = request.getMethod();
        if (method == Method.POST) {
            post(request, response);
        } else if (method == Method.GET) {
            get(request, response);
        } else if (method == Method.DELETE) {
            delete(request, response);
        } else if (method == Method.OPTIONS) {
            response.setStatus(204);
            response.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
            response.setHeader("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, Last-Event-ID, "
                    + SESSION_HEADER + ", " + VERSION_HEADER + ", Mcp-Method, Mcp-Name");
            response.setHeader("Access-Control-Max-Age", "600");
        } else {
            response.setHeader("Allow", "GET, POST, DELETE, OPTIONS");
            fail(response, 405, ErrorCodes.INVALID_REQUEST, "Method not allowed: use POST, GET or DELETE");
        }
    }

    // ---- POST ----

    private void post(Request request, Response response) throws IOException, InterruptedException {
        if (!isJson(request.getContentType())) {
            fail(response, 415, ErrorCodes.INVALID_REQUEST,
                    "Unsupported Media Type: Content-Type must be application/json");
            return;
        }
        String accept = request.getHeader("Accept");
        if (!accepts(accept, "application/json") || !accepts(accept, "text/event-stream")) {
            fail(response, 406, ErrorCodes.INVALID_REQUEST,
                    "Not Acceptable: the Accept header must list application/json and text/event-stream");
            return;
        }
        byte[] body = readBody(request, response);
        if (body == null) {
            return;
        }
        JsonNode tree;
        try {
            tree = codec.readTree(body);
        } catch (McpException e) {
            fail(response, 400, e.code(), e.getMessage());
            return;
        }
        if (!Thread.currentThread().isVirtual() && (!isToolCall(tree) || mayWaitForStore(request))) {
            // Kept on the network thread (FrontDoorHandler.QUICK_BODY_BYTES), but this request may
            // wait: it goes on on a virtual thread of its own.
            HeldResponse held = HeldResponse.hold(response);
            Thread.ofVirtual().name("http-request").start(Principal.carry(() -> {
                try {
                    postParsed(tree, request, response);
                } catch (IOException | InterruptedException e) {
                    LOG.fine(() -> "Answering a POST failed: " + e); // the client went away
                } catch (RuntimeException e) {
                    internalError(response, "Answering a POST", e);
                } finally {
                    held.release();
                }
            }));
            return;
        }
        postParsed(tree, request, response);
    }

    /**
     * Whether finding the request's session may wait for the shared store (this node does not hold
     * it yet): then the request must not stay on a network thread.
     */
    private boolean mayWaitForStore(Request request) {
        if (!sessions.store().shared()) {
            return false;
        }
        String id = request.getHeader(SESSION_HEADER);
        return id != null && sessions.held(id).isEmpty();
    }

    /** Whether a message is one tool call: all it does before its plugin's thread takes it is quick. */
    private static boolean isToolCall(JsonNode tree) {
        return tree.isObject() && tree.has("id") && "tools/call".equals(tree.path("method").textValue());
    }

    private void postParsed(JsonNode tree, Request request, Response response) throws IOException,
            InterruptedException {
        JsonRpcMessage message;
        String sessionId = request.getHeader(SESSION_HEADER);
        try {
            if (tree.isArray() && batch(tree, sessionId, response)) {
                return;
            }
            message = codec.decode(tree);
        } catch (McpException e) {
            fail(response, 400, e.code(), e.getMessage());
            return;
        }
        String traceparent = message instanceof JsonRpcRequest ? request.getHeader(TraceContext.TRACEPARENT) : null;
        if (traceparent != null) {
            TraceContext.intoParams(((JsonRpcRequest) message).params(), traceparent,
                    request.getHeader(TraceContext.TRACESTATE));
        }
        String version = request.getHeader(VERSION_HEADER);
        if (sessionId == null && message instanceof JsonRpcRequest r && stateless(r, version)) {
            answerStateless(r, request, response);
            return;
        }
        if (unsupportedVersionHeader(version, response)) {
            return;
        }
        if (message instanceof JsonRpcRequest r && "initialize".equals(r.method()) && sessionId == null) {
            McpEngine.Initialized initialized = engine.initialize(r, request.getRemoteAddr());
            int status = 200;
            if (initialized.session() != null) {
                response.setHeader(SESSION_HEADER, initialized.session().id());
            } else if (initialized.response() instanceof JsonRpcError e && e.error().code() == Sessions.BUSY) {
                status = e.error().data() instanceof Map<?, ?> data && Sessions.PER_CLIENT_LIMIT.equals(data.get("limit"))
                        ? 429 : 503;
                response.setHeader("Retry-After", Integer.toString(Sessions.RETRY_AFTER_SECONDS));
            }
            writeJson(response, status, codec.encode(initialized.response()));
            return;
        }
        if (sessionId == null && message instanceof JsonRpcNotification n && McpEngine.declaresStateless(n.params())) {
            response.setStatus(202);
            return;
        }
        Session session = session(sessionId, response, message);
        if (session == null) {
            return;
        }
        switch (message) {
            case JsonRpcRequest r -> answer(r, session, response);
            case JsonRpcNotification n -> {
                engine.notification(session, n);
                response.setStatus(202);
            }
            case JsonRpcResponse r -> answered(session, r, response);
        }
    }

    /**
     * A client's answer to a server-to-client request: 202 once it reached the request waiting for it
     * (here or on the node that asked), 410 when the node that asked is gone (scale-out.md).
     */
    private void answered(Session session, JsonRpcResponse answer, Response response) throws IOException {
        try {
            if (engine.answer(session, answer) == dev.plugboard.host.session.AnswerRoute.ASKER_GONE) {
                fail(response, 410, ErrorCodes.INVALID_REQUEST, "Invalid request: the server node that sent request "
                        + answer.id().asText() + " stopped before the answer came; the call that asked ended with it");
                return;
            }
        } catch (StoreUnavailableException e) {
            storeUnavailable(response, e);
            return;
        }
        response.setStatus(202);
    }

    /**
     * Takes a client's answer that came in a batch: routed as a single answer is, but a batch has no
     * status of its own for it, so an answer that cannot reach its asker (the store is down, or the
     * node that asked has stopped) is dropped here rather than failing the batch's requests with it.
     */
    private void answerInBatch(Session session, JsonRpcResponse answer) {
        try {
            if (engine.answer(session, answer) == dev.plugboard.host.session.AnswerRoute.ASKER_GONE) {
                LOG.fine(() -> "An answer in a batch to " + answer.id() + " came after the node that asked stopped");
            }
        } catch (StoreUnavailableException e) {
            LOG.fine(() -> "An answer in a batch to " + answer.id() + " was dropped: " + e.getMessage());
        }
    }

    /**
     * Answers a JSON-RPC batch in a session whose revision accepts batches (2025-03-26): its requests
     * run concurrently and their responses come back as one JSON array; a batch of notifications and
     * responses only is answered 202. Returns false (and answers nothing) when the batch is not
     * allowed here, so that the caller refuses it as before.
     */
    private boolean batch(JsonNode batch, String sessionId, Response response) throws IOException {
        Session session;
        try {
            session = sessionId == null ? null : sessions.find(sessionId).orElse(null);
        } catch (StoreUnavailableException e) {
            storeUnavailable(response, e);
            return true;
        }
        if (session == null || !session.usableBy(Principal.current().credential())
                || !session.version().acceptsBatches()) {
            return false;
        }
        response.setHeader(SESSION_HEADER, session.id());
        if (batch.isEmpty()) {
            fail(response, 400, ErrorCodes.INVALID_REQUEST, "Invalid request: a batch must hold at least one message");
            return true;
        }
        List<CompletableFuture<JsonRpcResponse>> answers = new ArrayList<>();
        for (JsonNode element : batch) {
            JsonRpcMessage message;
            try {
                message = codec.decode(element);
            } catch (McpException e) {
                answers.add(CompletableFuture.completedFuture(e.toResponse(null)));
                continue;
            }
            switch (message) {
                case JsonRpcRequest r when "initialize".equals(r.method()) -> answers.add(CompletableFuture.completedFuture(
                        JsonRpcError.of(r.id(), ErrorCodes.INVALID_REQUEST,
                                "Invalid request: initialize cannot be part of a batch", null)));
                case JsonRpcRequest r -> answers.add(engine.request(session, r, session::sendUnprompted));
                case JsonRpcNotification n -> engine.notification(session, n);
                case JsonRpcResponse r -> answerInBatch(session, r);
            }
        }
        if (answers.isEmpty()) {
            response.setStatus(202);
            return true;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < answers.size(); i++) {
            JsonRpcResponse answer = await(answers.get(i), null);
            if (answer == null) {
                continue;
            }
            if (out.size() > 1) {
                out.write(',');
            }
            out.writeBytes(codec.encodeForPeer(answer));
        }
        out.write(']');
        writeJson(response, 200, out.toByteArray());
        return true;
    }

    /**
     * Whether a request without a session uses the stateless revision: its {@code _meta} names a
     * version, or (except for {@code initialize}) its version header names one that is not
     * session-based. A request with neither is a session-based client that has not initialised.
     */
    private static boolean stateless(JsonRpcRequest r, String versionHeader) {
        if (McpEngine.isStateless(r)) {
            return true;
        }
        if ("initialize".equals(r.method()) || versionHeader == null) {
            return false;
        }
        return ProtocolVersion.parse(versionHeader.trim()).map(ProtocolVersion::stateless).orElse(true);
    }

    private void answer(JsonRpcRequest r, Session session, Response response) throws IOException {
        SessionStreams sessionStreams = streamsOf(session);
        LazyResponse lazy = new LazyResponse(response, codec, sessionStreams::open);
        response.setHeader(SESSION_HEADER, session.id());
        MessageSink related = switch (settings.responseMode()) {
            case JSON -> session::sendUnprompted;
            case SSE -> {
                lazy.streamAfterHolding(held);
                yield lazy;
            }
            case AUTO -> lazy;
        };
        finishWhenAnswered(engine.request(session, r, related), r, response, answer -> lazy.finish(answer, 200, 200));
    }

    /** Writes a request's answer once it is there. */
    @FunctionalInterface
    private interface Finish {
        void write(JsonRpcResponse answer) throws IOException;
    }

    /**
     * Writes the answer of a request once it is there. On a virtual thread (a request of its own) it
     * waits for it. On the network thread (a quick tool call, see FrontDoorHandler) it writes it at
     * once if it is there, else holds the HTTP response open ({@link HeldResponse}) and lets the
     * thread that completes the call (usually the plugin's) write it: no thread is woken only to
     * write an answer, and a call costs one hand-off between threads, to the plugin's.
     */
    private void finishWhenAnswered(CompletableFuture<JsonRpcResponse> pending, JsonRpcRequest r,
            Response response, Finish finish) throws IOException {
        if (pending.isDone() || Thread.currentThread().isVirtual()) {
            finish.write(await(pending, r));
            return;
        }
        HeldResponse held = HeldResponse.hold(response);
        pending.whenComplete((answer, failure) -> {
            try {
                finish.write(failure == null ? answer : await(pending, r));
            } catch (IOException e) {
                LOG.fine(() -> "Writing the answer to " + r.method() + " failed: " + e); // the client went away
            } catch (RuntimeException e) {
                internalError(response, "Writing the answer to " + r.method(), e);
            } finally {
                held.release();
            }
        });
    }

    /** The {@code Mcp-Param-*} headers of a request, by the lower-case name after the prefix. */
    private static Map<String, String> paramHeaders(Request request) {
        Map<String, String> found = null;
        int prefix = ParamHeaders.PREFIX.length();
        MimeHeaders headers = request.getRequest().getHeaders();
        for (int i = 0, n = headers.size(); i < n; i++) {
            // Compared as bytes: only the names that match become strings.
            DataChunk name = headers.getName(i);
            if (name.getLength() > prefix && name.startsWithIgnoreCase(ParamHeaders.PREFIX, 0)) {
                if (found == null) {
                    found = new HashMap<>();
                }
                found.putIfAbsent(name.toString().substring(prefix).toLowerCase(Locale.ROOT),
                        headers.getValue(i).toString());
            }
        }
        return found == null ? Map.of() : found;
    }

    private void answerStateless(JsonRpcRequest r, Request request, Response response) throws IOException,
            InterruptedException {
        var headers = new McpEngine.StatelessHeaders(request.getHeader(VERSION_HEADER), request.getHeader("Mcp-Method"),
                request.getHeader("Mcp-Name"), "tools/call".equals(r.method()) ? paramHeaders(request) : Map.of());
        if ("subscriptions/listen".equals(r.method())) {
            listen(r, headers, request, response);
            return;
        }
        LazyResponse lazy = new LazyResponse(response, codec, () -> new SseChannel("r", false, codec));
        if (settings.responseMode() == HttpSettings.ResponseMode.SSE) {
            lazy.streamAfterHolding(held);
        }
        McpEngine.Pending pending = engine.stateless(r, settings.responseMode() == HttpSettings.ResponseMode.JSON
                ? MessageSink.NONE : lazy, headers);
        HangUps.Watch cancelIfGone = pending.response().isDone() ? null
                : hangUps.watch(request.getContext().getConnection(), pending.cancel());
        finishWhenAnswered(pending.response(), r, response, answer -> {
            if (cancelIfGone != null) {
                cancelIfGone.release();
            }
            lazy.finish(answer, answer instanceof JsonRpcError e ? statelessStatus(e.error().code()) : 200, 500);
        });
    }

    private void listen(JsonRpcRequest r, McpEngine.StatelessHeaders headers, Request request, Response response)
            throws IOException, InterruptedException {
        LazyResponse lazy = new LazyResponse(response, codec, () -> new SseChannel("l", false, codec));
        McpEngine.Listening listening = engine.listen(r, lazy, headers);
        if (listening.refusal() != null) {
            int status = statelessStatus(listening.refusal().error().code());
            lazy.finish(listening.refusal(), status, status);
            return;
        }
        SseConnection connection = lazy.connection();
        HangUps.Watch closeIfGone = hangUps.watch(request.getContext().getConnection(), connection::close);
        try {
            while (!connection.awaitClosed(settings.keepAlive())) {
                if (!connection.keepAlive()) {
                    break;
                }
            }
        } finally {
            closeIfGone.release();
            try {
                listening.handle().close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "Closing a subscription failed", e);
            }
        }
    }

    /**
     * The HTTP status of a stateless error: 404 for an unknown method, 503 when the server turned the
     * request away for now (a limit), 500 for a server failure, else 400.
     */
    private static int statelessStatus(int code) {
        return switch (code) {
            case ErrorCodes.METHOD_NOT_FOUND -> 404;
            case ErrorCodes.SERVER_BUSY -> 503;
            case ErrorCodes.RATE_LIMITED -> 429;
            case ErrorCodes.INTERNAL_ERROR -> 500;
            default -> 400;
        };
    }

    /**
     * The response, or null when the client cancelled the request.
     *
     * @param r the request, or null for a member of a batch (whose error then carries no id)
     */
    private static JsonRpcResponse await(CompletableFuture<JsonRpcResponse> future, JsonRpcRequest r) {
        JsonNode id = r == null ? null : r.id();
        try {
            return future.get();
        } catch (CancellationException e) {
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CancellationException) {
                return null;
            }
            Throwable cause = e.getCause();
            LOG.warning(() -> (r == null ? "A batched request" : "Request " + r.method()) + " failed: "
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            LOG.log(Level.FINE, "Stack trace of the failure", cause);
            return JsonRpcError.of(id, ErrorCodes.INTERNAL_ERROR, "Internal error", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JsonRpcError.of(id, ErrorCodes.INTERNAL_ERROR, "The server is shutting down", null);
        }
    }

    // ---- GET and DELETE ----

    private void get(Request request, Response response) throws IOException, InterruptedException {
        if (!accepts(request.getHeader("Accept"), "text/event-stream")) {
            fail(response, 406, ErrorCodes.INVALID_REQUEST, "Not Acceptable: the Accept header must list text/event-stream");
            return;
        }
        if (unsupportedVersionHeader(request.getHeader(VERSION_HEADER), response)) {
            return;
        }
        Session session = session(request.getHeader(SESSION_HEADER), response, null);
        if (session == null) {
            return;
        }
        SessionStreams sessionStreams = streamsOf(session);
        String lastEventId = request.getHeader("Last-Event-ID");
        SseChannel channel = lastEventId == null ? null : sessionStreams.byEventId(lastEventId).orElse(null);
        if (channel == null && lastEventId != null && sessionStreams.resumesElsewhere(lastEventId)) {
            // The stream began on another node: it goes on here, with the events kept in the store.
            channel = sessionStreams.unprompted();
        }
        long after = channel == null ? -1 : SessionStreams.sequenceOf(lastEventId);
        boolean unprompted = channel == null || SessionStreams.UNPROMPTED.equals(channel.id());
        if (channel == null) {
            channel = sessionStreams.unprompted();
        }
        if (after < 0 && channel.attached()) {
            fail(response, 409, ErrorCodes.INVALID_REQUEST, "Conflict: this stream already has an open connection");
            return;
        }
        SseConnection connection = new SseConnection(response, codec);
        response.setHeader(SESSION_HEADER, session.id());
        // The client learns the stream is open from the headers; by then the connection is attached
        // and the session sends to it, so nothing sent after that moment can fall between the two.
        connection.openHeld();
        if (!channel.attach(connection, after)) {
            connection.close();
            return;
        }
        if (unprompted) {
            session.attachStream(channel);
            sessions.store().streamTaken(session.id());
        }
        connection.flush();
        HangUps.Watch closeIfGone = hangUps.watch(request.getContext().getConnection(), connection::close);
        try {
            while (!connection.awaitClosed(settings.keepAlive())) {
                if (!connection.keepAlive()) {
                    break;
                }
            }
        } finally {
            closeIfGone.release();
            channel.detach(connection);
            // The session's idle time starts when its stream's connection ends.
            session.touch();
        }
    }

    private void delete(Request request, Response response) throws IOException {
        String id = request.getHeader(SESSION_HEADER);
        if (id == null) {
            fail(response, 400, ErrorCodes.INVALID_REQUEST, "Bad Request: the " + SESSION_HEADER + " header is required");
            return;
        }
        boolean closed;
        try {
            Optional<Session> held = sessions.find(id);
            // only the credential that opened a session may end it; to any other it does not exist
            closed = held.isPresent() && held.get().usableBy(Principal.current().credential()) && sessions.close(id);
        } catch (StoreUnavailableException e) {
            storeUnavailable(response, e);
            return;
        }
        if (!closed) {
            fail(response, 404, SESSION_NOT_FOUND, "Session not found: it ended or never existed; initialize a new one");
            return;
        }
        response.setStatus(200);
    }

    // ---- helpers ----

    private Session session(String id, Response response, JsonRpcMessage message) throws IOException {
        if (id == null) {
            if (message instanceof JsonRpcRequest r) {
                JsonRpcResponse answer = engine.withoutSession(r);
                writeJson(response, answer instanceof JsonRpcError ? 400 : 200, codec.encode(answer));
            } else {
                fail(response, 400, ErrorCodes.INVALID_REQUEST,
                        "Bad Request: the " + SESSION_HEADER + " header is required; send \"initialize\" first");
            }
            return null;
        }
        Optional<Session> session;
        try {
            session = sessions.find(id);
        } catch (StoreUnavailableException e) {
            storeUnavailable(response, e);
            return null;
        }
        if (session.isEmpty() || !session.get().usableBy(Principal.current().credential())) {
            // another credential's session is answered like an unknown one: its id is not a credential
            JsonRpcError error = JsonRpcError.of(message instanceof JsonRpcRequest r ? r.id() : null,
                    SESSION_NOT_FOUND, "Session not found: it ended or never existed; initialize a new one", null);
            writeJson(response, 404, codec.encode(error));
            return null;
        }
        return session.get();
    }

    /** The shared session store cannot say whether a session exists: 503, try again shortly. */
    private void storeUnavailable(Response response, StoreUnavailableException e) throws IOException {
        response.setHeader("Retry-After", Integer.toString(Sessions.RETRY_AFTER_SECONDS));
        fail(response, 503, ErrorCodes.SERVER_BUSY, "Service Unavailable: " + e.getMessage());
    }

    private boolean unsupportedVersionHeader(String version, Response response) throws IOException {
        if (version != null && ProtocolVersion.parse(version.trim()).isEmpty()) {
            fail(response, 400, ErrorCodes.INVALID_REQUEST, "Bad Request: unsupported protocol version " + version
                    + " (supported: " + String.join(", ", ProtocolVersion.supported()) + ")");
            return true;
        }
        return false;
    }

    private byte[] readBody(Request request, Response response) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > settings.maxBodyBytes()) {
            fail(response, 413, ErrorCodes.INVALID_REQUEST, tooLarge());
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            if (declared >= 0) {
                // The usual case: read into an array of the right size, with no copying.
                byte[] body = new byte[(int) declared];
                int read = in.readNBytes(body, 0, body.length);
                return read == body.length ? body : Arrays.copyOf(body, read);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBodyBytes() + 1));
            if (body.length > settings.maxBodyBytes()) {
                fail(response, 413, ErrorCodes.INVALID_REQUEST, tooLarge());
                return null;
            }
            return body;
        } catch (IOException e) {
            // The body stalled past the body timeout (or the client went away): the rest of it will
            // not be read, so the connection closes after this answer.
            LOG.fine(() -> "Reading a request body failed: " + e);
            closeAfter(request, response);
            fail(response, 408, ErrorCodes.INVALID_REQUEST, "Request Timeout: the body did not arrive within "
                    + settings.bodyTimeout().toSeconds() + " s");
            return null;
        }
    }

    private String tooLarge() {
        return "Payload Too Large: the body exceeds the limit of " + settings.maxBodyBytes() + " bytes";
    }

    /**
     * A bug on a response held past its handler (where the front door's own guard no longer
     * reaches): one line at WARNING, the trace at FINE, and a JSON-RPC 500 if nothing went out yet.
     */
    private void internalError(Response response, String what, RuntimeException e) {
        LOG.warning(() -> what + " failed: " + e);
        LOG.log(Level.FINE, what + " failed", e);
        if (!response.isCommitted()) {
            try {
                response.reset();
                fail(response, 500, ErrorCodes.INTERNAL_ERROR, "Internal error");
            } catch (IOException | RuntimeException ignored) {
                // the connection ends without an answer
            }
        }
    }

    void fail(Response response, int status, int code, String message) throws IOException {
        writeJson(response, status, codec.encode(JsonRpcError.of(null, code, message, null)));
    }

    /** Closes the connection once this response is sent: the rest of the request will not be read. */
    static void closeAfter(Request request, Response response) {
        response.setHeader("Connection", "close");
        response.getResponse().getProcessingState().setKeepAlive(false);
        // Otherwise Grizzly would wait for the rest of the body before closing.
        request.getRequest().setContentBroken(true);
    }

    static void writeJson(Response response, int status, byte[] json) throws IOException {
        if (status == 200) {
            response.setStatus(HttpStatus.OK_200); // the usual answer, without looking its reason phrase up
        } else {
            response.setStatus(status);
        }
        ResponseBodies.send(response, json);
    }

    /** Whether a Content-Type names {@code application/json} (parameters aside); reads it in place, as every POST asks. */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int end = contentType.indexOf(';');
        return trimmedEquals(contentType, 0, end < 0 ? contentType.length() : end, "application/json");
    }

    /**
     * Whether an Accept header lists a media type, exactly or through {@code *}{@code /*} or {@code type/*}
     * (parameters aside, case-insensitively). Reads the header in place: every POST asks twice.
     */
    static boolean accepts(String accept, String type) {
        if (accept == null) {
            return false;
        }
        String major = switch (type) {
            case "application/json" -> "application/*";
            case "text/event-stream" -> "text/*";
            default -> type.substring(0, type.indexOf('/') + 1) + "*";
        };
        for (int start = 0, n = accept.length(); start <= n;) {
            int end = accept.indexOf(',', start);
            if (end < 0) {
                end = n;
            }
            int parameters = accept.indexOf(';', start);
            int rangeEnd = parameters < 0 || parameters > end ? end : parameters;
            if (trimmedEquals(accept, start, rangeEnd, type) || trimmedEquals(accept, start, rangeEnd, "*/*")
                    || trimmedEquals(accept, start, rangeEnd, major)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /**
     * Whether {@code text[from, to)}, without the white space and control characters around it, is
     * {@code lowerCase} in any ASCII case (what {@code trim().toLowerCase(Locale.ROOT).equals} says
     * for these media types, without the strings).
     */
    private static boolean trimmedEquals(String text, int from, int to, String lowerCase) {
        while (from < to && text.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) <= ' ') {
            to--;
        }
        if (to - from != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            char c = text.charAt(from + i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
