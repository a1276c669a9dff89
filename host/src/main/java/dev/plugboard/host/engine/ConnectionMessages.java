package dev.plugboard.host.engine;

import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.session.Session;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The messages of a connection that is one client and at most one session (stdio, a WebSocket),
 * dispatched the same way whatever carries them: {@code initialize} opens the session, whose answer
 * goes out before anything the session sends; requests of the session run concurrently (a virtual
 * thread each, under the principal of the connection); notifications and responses are handled in
 * the order they arrive; requests of the stateless revision are answered one by one
 * ({@link ConnectionStateless}). Whatever goes wrong with one message is answered on the
 * connection (a parse error, an invalid request, or an internal error for the request's id) and
 * logged in one line, never ending the connection.
 */
public final class ConnectionMessages {

    private static final Logger LOG = Logger.getLogger(ConnectionMessages.class.getName());

    private final McpEngine engine;
    private final JsonRpcCodec codec;
    private final Door door;
    private final MessageSink sink;
    private final String clientAddress;
    private final String logName;
    private final ConnectionStateless stateless;
    private volatile Session session;

    /**
     * @param engine answers the messages
     * @param codec reads them
     * @param door the door they came through
     * @param sink the connection: answers, and everything the session sends
     * @param clientAddress where the client connects from (session limits count against it), or null
     */
    public ConnectionMessages(McpEngine engine, JsonRpcCodec codec, Door door, MessageSink sink,
            String clientAddress) {
        this.engine = engine;
        this.codec = codec;
        this.door = door;
        this.sink = sink;
        this.clientAddress = clientAddress;
        this.logName = door.name().toLowerCase(Locale.ROOT);
        this.stateless = new ConnectionStateless(engine, door);
    }

    /** The session {@code initialize} opened on this connection, or null before. */
    public Session session() {
        return session;
    }

    /**
     * Reads one message; one that cannot be read is answered (parse error or invalid request).
     *
     * @return the message, or null when it was answered already
     */
    public JsonRpcMessage read(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (McpException e) {
            trySend(e.toResponse(null));
        } catch (RuntimeException e) {
            failed("a message that could not be read", e);
            trySend(JsonRpcError.of(null, ErrorCodes.PARSE_ERROR, "Parse error: the message could not be read", null));
        }
        return null;
    }

    /** Handles a message that was read; a failure is answered for a request's id and logged. */
    public void dispatch(JsonRpcMessage message) {
        try {
            route(message, session);
        } catch (RuntimeException e) {
            String what = switch (message) {
                case JsonRpcRequest r -> r.method();
                case JsonRpcNotification n -> n.method();
                case JsonRpcResponse r -> "a response";
            };
            failed(what, e);
            if (message instanceof JsonRpcRequest r) {
                trySend(JsonRpcError.of(r.id(), ErrorCodes.INTERNAL_ERROR, "Internal error", null));
            }
        }
    }

    /** Cancels the stateless requests still running: the connection ended. */
    public void cancelAll() {
        stateless.cancelAll();
    }

    private void route(JsonRpcMessage message, Session current) {
        if (stateless.handle(message, sink)) {
            return;
        }
        switch (message) {
            case JsonRpcRequest r when current == null && "initialize".equals(r.method()) -> {
                McpEngine.Initialized initialized = engine.initialize(r, clientAddress);
                if (initialized.session() != null) {
                    session = initialized.session();
                }
                if (initialized.session() == null) {
                    sink.send(initialized.response());
                } else {
                    // The stream is attached before the answer goes, so that nothing the session sends
                    // meanwhile (a list_changed) is dropped; it waits until the answer has gone first.
                    AfterAnswer stream = new AfterAnswer(sink);
                    initialized.session().attachStream(stream);
                    try {
                        sink.send(initialized.response());
                    } finally {
                        stream.open();
                    }
                }
            }
            case JsonRpcRequest r when current == null -> sink.send(engine.withoutSession(r));
            case JsonRpcRequest r -> Thread.ofVirtual().name(logName + "-" + r.method())
                    .start(Principal.carry(() -> request(current, r)));
            case JsonRpcNotification n -> {
                if (current != null) {
                    engine.notification(current, n);
                }
            }
            case JsonRpcResponse r -> {
                if (current != null) {
                    engine.response(current, r);
                }
            }
        }
    }

    /** Runs a request of the session on its own thread and answers it when it completes. */
    private void request(Session current, JsonRpcRequest r) {
        try {
            engine.request(current, r, sink, door).whenComplete((response, failure) -> {
                if (failure == null) {
                    trySend(response);
                } else if (!(failure instanceof CancellationException)
                        && !(failure instanceof CompletionException c && c.getCause() instanceof CancellationException)) {
                    internalError(r, failure);
                }
            });
        } catch (RuntimeException e) {
            internalError(r, e);
        }
    }

    private void internalError(JsonRpcRequest r, Throwable failure) {
        failed(r.method(), failure);
        trySend(JsonRpcError.of(r.id(), ErrorCodes.INTERNAL_ERROR, "Internal error", null));
    }

    /** Sends an answer; a failure to send it only ends up in the log. */
    private void trySend(JsonRpcMessage message) {
        try {
            sink.send(message);
        } catch (RuntimeException e) {
            failed("an answer", e);
        }
    }

    /** One line in the log for a message the connection failed on; the stack trace only at FINE. */
    private void failed(String what, Throwable e) {
        String shown = (what.length() > 100 ? what.substring(0, 100) + "..." : what).codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        LOG.warning(() -> logName + ": handling " + shown + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        LOG.log(Level.FINE, logName + ": stack trace of the failure", e);
    }

    /** The connection as a session's stream: what the session sends waits until its initialize answer has gone. */
    private static final class AfterAnswer implements MessageSink {
        private final MessageSink connection;
        private final CountDownLatch answered = new CountDownLatch(1);

        AfterAnswer(MessageSink connection) {
            this.connection = connection;
        }

        void open() {
            answered.countDown();
        }

        @Override
        public boolean send(JsonRpcMessage message) {
            boolean interrupted = false;
            while (answered.getCount() > 0) {
                try {
                    answered.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return connection.send(message);
        }

        @Override
        public boolean connected() {
            return connection.connected();
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
