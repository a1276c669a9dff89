package dev.plugboard.host.graphql;

import dev.plugboard.host.door.Progress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Progress of tool calls by client-chosen call id: {@code callTool(callId:)} reports into the
 * channel of its id, {@code toolProgress(callId:)} reads it, and the channel completes when the call
 * ends. A subscription may come before the call (the usual order) or during it.
 */
final class ProgressChannels {

    /** How many call ids may be watched or running at once, across all clients. */
    static final int MAX_CHANNELS = 10_000;
    private static final int BUFFER = 256;

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    /** The progress of a call id, as a stream that completes when the call ends. */
    Publisher<Map<String, Object>> watch(String callId) {
        Channel channel = channel(callId);
        return subscriber -> channel.stream.subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscriber.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                        subscription.request(n);
                    }

                    @Override
                    public void cancel() {
                        subscription.cancel();
                        release(callId, channel);
                    }
                });
            }

            @Override
            public void onNext(Map<String, Object> event) {
                subscriber.onNext(event);
            }

            @Override
            public void onError(Throwable t) {
                subscriber.onError(t);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }

    /**
     * Starts reporting a call's progress.
     *
     * @return what hears the call's progress; {@link Started#end()} must be called when it ends
     * @throws GraphqlProblem CONFLICT when a running call already has this id
     */
    Started start(String callId) {
        Channel channel = channel(callId);
        synchronized (channel) {
            if (channel.running) {
                throw new GraphqlProblem(ErrorCode.CONFLICT, "a running call already has callId '" + callId + "'");
            }
            channel.running = true;
        }
        Progress progress = (value, total, message) -> {
            Map<String, Object> event = new java.util.HashMap<>();
            event.put("callId", callId);
            event.put("progress", value);
            event.put("total", total);
            event.put("message", message);
            channel.stream.publish(event);
        };
        return new Started(progress, () -> {
            channels.remove(callId, channel);
            channel.stream.complete();
        });
    }

    private Channel channel(String callId) {
        Channel existing = channels.get(callId);
        if (existing != null) {
            return existing;
        }
        if (channels.size() >= MAX_CHANNELS) {
            throw new GraphqlProblem(ErrorCode.BUSY, "too many calls are watched at once; try again shortly");
        }
        return channels.computeIfAbsent(callId, id -> new Channel());
    }

    private void release(String callId, Channel channel) {
        synchronized (channel) {
            if (!channel.running && !channel.stream.hasSubscribers()) {
                channels.remove(callId, channel);
            }
        }
    }

    /**
     * A call whose progress is reported.
     *
     * @param progress hears the call's progress
     * @param end ends the channel: watchers see the subscription complete
     */
    record Started(Progress progress, Runnable end) {
    }

    private static final class Channel {
        final EventStream<Map<String, Object>> stream = new EventStream<>(BUFFER);
        boolean running;
    }
}
