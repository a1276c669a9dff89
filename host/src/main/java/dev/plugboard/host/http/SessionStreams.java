package dev.plugboard.host.http;

import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SSE streams of one session: the stream of unprompted messages and the streams of requests,
 * by id, so that a client can resume any of them. The most recent streams are kept. Thread-safe.
 */
final class SessionStreams {

    private static final int KEPT_STREAMS = 64;

    private final boolean resumable;
    private final JsonRpcCodec codec;
    private final Map<String, SseChannel> channels = new LinkedHashMap<>();
    private long counter;
    private SseChannel unprompted;

    SessionStreams(boolean resumable, JsonRpcCodec codec) {
        this.resumable = resumable;
        this.codec = codec;
    }

    /** A new stream for a request. */
    synchronized SseChannel open() {
        SseChannel channel = new SseChannel("s" + (++counter), resumable, codec);
        channels.put(channel.id(), channel);
        if (channels.size() > KEPT_STREAMS) {
            var oldest = channels.entrySet().iterator();
            while (channels.size() > KEPT_STREAMS && oldest.hasNext()) {
                SseChannel c = oldest.next().getValue();
                if (c != unprompted) {
                    oldest.remove();
                }
            }
        }
        return channel;
    }

    /** The stream of the session's unprompted messages. */
    synchronized SseChannel unprompted() {
        if (unprompted == null) {
            unprompted = new SseChannel("g", resumable, codec);
            channels.put(unprompted.id(), unprompted);
        }
        return unprompted;
    }

    /** The stream an event id belongs to, if it is still kept. */
    synchronized Optional<SseChannel> byEventId(String eventId) {
        int dash = eventId.lastIndexOf('-');
        return dash <= 0 ? Optional.empty() : Optional.ofNullable(channels.get(eventId.substring(0, dash)));
    }

    /** The sequence number in an event id; -1 when it has none. */
    static long sequenceOf(String eventId) {
        int dash = eventId.lastIndexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(eventId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
