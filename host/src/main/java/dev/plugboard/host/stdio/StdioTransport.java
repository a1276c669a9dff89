package dev.plugboard.host.stdio;

import dev.plugboard.host.engine.ConnectionStateless;
import dev.plugboard.host.engine.Door;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.session.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * MCP over standard input and output: one client, newline-delimited JSON-RPC messages. Requests run
 * concurrently; writes are serialised. Standard output carries protocol messages only.
 *
 * <p>No message can stop the transport: whatever goes wrong with one line is answered (a parse error,
 * an invalid request, or an internal error for the request's id), logged in one line, and the next line
 * is read. {@link #run()} returns when standard input ends.
 */
public final class StdioTransport implements MessageSink {

    private static final Logger LOG = Logger.getLogger(StdioTransport.class.getName());

    private final McpEngine engine;
    private final JsonRpcCodec codec;
    private final InputStream in;
    private final OutputStream out;
    private final int maxMessageBytes;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile Session session;
    private volatile boolean closed;
    private final ConnectionStateless stateless;

    /**
     * @param engine answers the messages
     * @param codec reads and writes them
     * @param in where messages arrive
     * @param out where messages go
     * @param maxMessageBytes the longest line accepted; longer ones are answered with an error
     */
    public StdioTransport(McpEngine engine, JsonRpcCodec codec, InputStream in, OutputStream out, int maxMessageBytes) {
        this.engine = engine;
        this.codec = codec;
        this.in = in;
        this.out = out;
        this.maxMessageBytes = maxMessageBytes;
        this.stateless = new ConnectionStateless(engine, Door.STDIO);
    }

    /** Serves until standard input ends. */
    public void run() throws IOException {
        LineReader lines = new LineReader(in, maxMessageBytes);
        for (LineReader.Line line; (line = lines.next()) != null;) {
            if (line.tooLong()) {
                send(JsonRpcError.of(null, ErrorCodes.INVALID_REQUEST,
                        "Invalid request: the message exceeds the limit of " + maxMessageBytes + " bytes", null));
                continue;
            }
            if (line.bytes().length == 0) {
                continue;
            }
            handle(line.bytes());
        }
        closed = true;
        stateless.cancelAll();
    }

    private void handle(byte[] bytes) {
        JsonRpcMessage message;
        try {
            message = codec.decode(bytes);
        } catch (McpException e) {
            trySend(e.toResponse(null));
            return;
        } catch (RuntimeException e) {
            failed("a message that could not be read", e);
            trySend(JsonRpcError.of(null, ErrorCodes.PARSE_ERROR, "Parse error: the message could not be read", null));
            return;
        }
        try {
            dispatch(message);
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

    /** One line in the log for a message the transport failed on; the stack trace only at FINE. */
    private static void failed(String what, RuntimeException e) {
        String shown = (what.length() > 100 ? what.substring(0, 100) + "..." : what).codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        LOG.warning(() -> "stdio: handling " + shown + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        LOG.log(Level.FINE, "stdio: stack trace of the failure", e);
    }

    /** Sends an answer about a message that failed; a failure to send it only ends up in the log. */
    private void trySend(JsonRpcMessage message) {
        try {
            send(message);
        } catch (RuntimeException e) {
            failed("an error answer", e);
        }
    }

    private void dispatch(JsonRpcMessage message) {
        Session current = session;
        if (stateless.handle(message, this)) {
            return;
        }
        switch (message) {
            case JsonRpcRequest r when current == null && "initialize".equals(r.method()) -> {
                McpEngine.Initialized initialized = engine.initialize(r);
                // The session sends here from now on, but only after the answer: writes wait for the lock.
                writeLock.lock();
                try {
                    if (initialized.session() != null) {
                        session = initialized.session();
                        session.attachStream(this);
                    }
                    send(initialized.response());
                } finally {
                    writeLock.unlock();
                }
            }
            case JsonRpcRequest r when current == null -> send(engine.withoutSession(r));
            case JsonRpcRequest r -> Thread.ofVirtual().name("stdio-" + r.method()).start(() -> {
                try {
                    JsonRpcResponse response = engine.request(current, r, this, Door.STDIO).join();
                    send(response);
                } catch (CancellationException e) {
                    LOG.fine(() -> "Request " + r.id() + " was cancelled; no response is sent");
                } catch (RuntimeException e) {
                    if (e.getCause() instanceof CancellationException) {
                        return;
                    }
                    failed(r.method(), e);
                    trySend(JsonRpcError.of(r.id(), ErrorCodes.INTERNAL_ERROR, "Internal error", null));
                }
            });
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

    @Override
    public boolean send(JsonRpcMessage message) {
        byte[] json = codec.encodeForPeer(message);
        if (json == null) {
            return false;
        }
        writeLock.lock();
        try {
            if (closed) {
                return false;
            }
            out.write(json);
            out.write('\n');
            out.flush();
            return true;
        } catch (IOException e) {
            closed = true;
            return false;
        } finally {
            writeLock.unlock();
        }
    }

    /** Reads newline-terminated lines without ever holding more than the limit in memory. */
    private static final class LineReader {

        record Line(byte[] bytes, boolean tooLong) {
        }

        private final InputStream in;
        private final int limit;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int end;

        LineReader(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        Line next() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean overflow = false;
            while (true) {
                if (pos == end) {
                    end = in.read(buffer);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        return line.size() > 0 || overflow ? new Line(line.toByteArray(), overflow) : null;
                    }
                }
                int start = pos;
                while (pos < end && buffer[pos] != '\n') {
                    pos++;
                }
                int length = pos - start;
                if (!overflow) {
                    if (line.size() + length > limit) {
                        overflow = true;
                        line.reset();
                    } else {
                        line.write(buffer, start, length);
                    }
                }
                if (pos < end) {
                    pos++;
                    byte[] bytes = line.toByteArray();
                    int n = bytes.length;
                    if (n > 0 && bytes[n - 1] == '\r') {
                        bytes = java.util.Arrays.copyOf(bytes, n - 1);
                    }
                    return new Line(bytes, overflow);
                }
            }
        }
    }
}
