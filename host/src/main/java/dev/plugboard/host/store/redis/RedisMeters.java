package dev.plugboard.host.store.redis;

import dev.plugboard.host.metrics.MeterNames;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.SocketAddress;
import java.util.function.BooleanSupplier;

/**
 * The Redis client's meters: Lettuce's command latencies ({@code lettuce.command.completion} and
 * {@code lettuce.command.firstresponse}, tagged by command and remote address) and whether the node
 * is connected. The client is built before the host's registry exists, so the latencies go to a
 * recorder that records nothing until {@link #bind} names the registry.
 */
final class RedisMeters implements CommandLatencyRecorder {

    private volatile CommandLatencyRecorder target = CommandLatencyRecorder.disabled();

    /** Records into the registry from now on, and adds the connection gauge. */
    void bind(MeterRegistry registry, BooleanSupplier connected) {
        target = new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.create());
        Gauge.builder(MeterNames.REDIS_CONNECTED, connected, c -> c.getAsBoolean() ? 1 : 0)
                .description("1 while this node is connected to Redis").strongReference(true).register(registry);
    }

    @Override
    public void recordCommandLatency(SocketAddress local, SocketAddress remote, RedisCommand<?, ?, ?> command,
            long firstResponseLatency, long completionLatency) {
        target.recordCommandLatency(local, remote, command, firstResponseLatency, completionLatency);
    }

    @Override
    public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword commandType,
            long firstResponseLatency, long completionLatency) {
        target.recordCommandLatency(local, remote, commandType, firstResponseLatency, completionLatency);
    }

    /** Always: Lettuce asks once, when a connection is made, whether to time its commands. */
    @Override
    public boolean isEnabled() {
        return true;
    }
}
