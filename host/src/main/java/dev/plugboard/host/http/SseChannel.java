package dev.plugboard.host.http;

import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcMessage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import dev.plugboard.host.session.SessionStore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A logical SSE stream of a session: the messages about one request, or the session's unprompted
 * messages. When resumable (2025-11-25) its events are numbered and the latest kept (up to 1000
 * events and 1 MiB, and always the newest), so that a client
 * that lost the connection can resume the stream on a new one (GET with {@code Last-Event-ID}):
 * missed events are replayed and later ones follow. Thread-safe.
 */
final class SseChannel implements MessageSink {

    static final long RETRY_MILLIS = 2000;
    private static final int KEPT_EVENTS = 1000;
    /** The most bytes of events kept for replay; the newest event is kept whatever its size. */
    private static final long KEPT_BYTES = 1024 * 1024;

    private record Event(long seq, byte[] json) {
    }

    /** Where a stream's events are also kept, so that a client may resume it on another node. */
    @FunctionalInterface
    interface EventLog {
        /** Keeps no event elsewhere. */
        EventLog NONE = (seq, json) -> { };

        /** Keeps an event; must not block (called while the stream is locked, to keep the order). */
        void append(long seq, byte[] json);
    }

    private final String id;
    private final boolean resumable;
    private final JsonRpcCodec codec;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Event> events = new ArrayDeque<>();
    private final EventLog log;
    private long seq;
    private long keptBytes;
    private SseConnection current;
    private boolean complete;

    SseChannel(String id, boolean resumable, JsonRpcCodec codec) {
        this(id, resumable, codec, EventLog.NONE);
    }

    /** A stream whose events are also kept in a log (when resumable). */
    SseChannel(String id, boolean resumable, JsonRpcCodec codec, EventLog log) {
        this.id = id;
        this.resumable = resumable;
        this.codec = codec;
        this.log = log;
    }

    /**
     * Continues a stream begun elsewhere (on another node): its kept events, oldest first, become
     * this stream's, and numbering goes on after the last of them (or after {@code atLeast}).
     */
    void continueFrom(List<SessionStore.StreamEvent> earlier, long atLeast) {
        lock.lock();
        try {
            for (SessionStore.StreamEvent e : earlier) {
                if (e.seq() > seq) {
                    events.addLast(new Event(e.seq(), e.json()));
                    keptBytes += e.json().length;
                    seq = e.seq();
                }
            }
            while (events.size() > 1 && (events.size() > KEPT_EVENTS || keptBytes > KEPT_BYTES)) {
                keptBytes -= events.removeFirst().json().length;
            }
            seq = Math.max(seq, atLeast);
        } finally {
            lock.unlock();
        }
    }

    String id() {
        return id;
    }

    /**
     * Sends a message: to the attached connection, and into the kept events when resumable.
     *
     * @return whether it was delivered or kept for a resuming client
     */
    @Override
    public boolean send(JsonRpcMessage message) {
        return send(message, true);
    }

    /** Sends the last message and ends the stream; the end of the response sends it. */
    void finish(JsonRpcMessage last) {
        send(last, false);
        complete();
    }

    private boolean send(JsonRpcMessage message, boolean flush) {
        byte[] json = codec.encodeForPeer(message);
        if (json == null) {
            return false;
        }
        lock.lock();
        try {
            if (complete) {
                return false;
            }
            seq++;
            if (resumable) {
                events.addLast(new Event(seq, json));
                keptBytes += json.length;
                log.append(seq, json);
                while (events.size() > 1 && (events.size() > KEPT_EVENTS || keptBytes > KEPT_BYTES)) {
                    keptBytes -= events.removeFirst().json().length;
                }
            }
            boolean delivered = current != null && current.event(resumable ? id + "-" + seq : null, json, flush);
            if (current != null && !delivered) {
                current = null;
            }
            return delivered || resumable;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Attaches a connection: a new stream gets a priming event (when resumable); a resumed one gets
     * the events after the one the client saw.
     *
     * A resumption replaces the connection attached before, which the client has given up on.
     *
     * @param afterSeq the sequence number of the last event the client saw, or -1 for a new stream
     * @return false when another connection is attached to a new stream
     */
    boolean attach(SseConnection connection, long afterSeq) {
        lock.lock();
        try {
            if (current != null && !current.isClosed()) {
                if (afterSeq < 0) {
                    return false;
                }
                current.close();
            }
            if (afterSeq < 0) {
                if (resumable) {
                    connection.prime(id + "-" + seq, RETRY_MILLIS);
                }
            } else {
                for (Event e : events) {
                    if (e.seq() > afterSeq) {
                        connection.event(id + "-" + e.seq(), e.json());
                    }
                }
            }
            current = connection;
            if (complete) {
                connection.close();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a live connection is attached. */
    boolean attached() {
        lock.lock();
        try {
            return current != null && !current.isClosed();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a live connection is attached: a client is listening on this stream now. */
    @Override
    public boolean connected() {
        return attached();
    }

    /** Detaches a connection, if it is the one attached. */
    void detach(SseConnection connection) {
        lock.lock();
        try {
            if (current == connection) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream: no more messages; the attached connection is closed. */
    void complete() {
        lock.lock();
        try {
            complete = true;
            if (current != null) {
                current.close();
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        complete();
    }

    boolean isComplete() {
        lock.lock();
        try {
            return complete;
        } finally {
            lock.unlock();
        }
    }
}
