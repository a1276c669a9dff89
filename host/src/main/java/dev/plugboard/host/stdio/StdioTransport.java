package dev.plugboard.host.stdio;

import dev.plugboard.host.engine.ConnectionMessages;
import dev.plugboard.host.engine.Door;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * MCP over standard input and output: one client, newline-delimited JSON-RPC messages, dispatched as
 * on any connection that is one client ({@link ConnectionMessages}): requests run concurrently;
 * writes are serialised. Standard output carries protocol messages only.
 *
 * <p>No message can stop the transport: whatever goes wrong with one line is answered (a parse error,
 * an invalid request, or an internal error for the request's id), logged in one line, and the next line
 * is read. {@link #run()} returns when standard input ends.
 */
public final class StdioTransport implements MessageSink {

    private final JsonRpcCodec codec;
    private final InputStream in;
    private final OutputStream out;
    private final int maxMessageBytes;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;
    private final ConnectionMessages messages;

    /**
     * @param engine answers the messages
     * @param codec reads and writes them
     * @param in where messages arrive
     * @param out where messages go
     * @param maxMessageBytes the longest line accepted; longer ones are answered with an error
     */
    public StdioTransport(McpEngine engine, JsonRpcCodec codec, InputStream in, OutputStream out, int maxMessageBytes) {
        this.codec = codec;
        this.in = in;
        this.out = out;
        this.maxMessageBytes = maxMessageBytes;
        this.messages = new ConnectionMessages(engine, codec, Door.STDIO, this, null);
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
        messages.cancelAll();
    }

    private void handle(byte[] bytes) {
        JsonRpcMessage message = messages.read(bytes);
        if (message != null) {
            messages.dispatch(message);
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
