package dev.plugboard.host.store.redis;

import dev.plugboard.api.store.SharedState;
import dev.plugboard.api.store.SharedStateUnavailableException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Plugins' shared state in Redis under {@code plugboard:state:}: values as Base64 strings with a
 * millisecond expiry, counters as integers changed by Lua scripts (so a reservation checks and adds
 * in one step on the server, whichever node asks). Nothing is queued while Redis is out of reach:
 * an operation then fails at once with {@link SharedStateUnavailableException}.
 */
final class RedisSharedState implements SharedState {

    static final String PREFIX = "plugboard:state:";

    /** Adds ARGV[1] when the total stays at most ARGV[2]; a new counter expires after ARGV[3] ms. */
    private static final String RESERVE = """
            local total = tonumber(redis.call('GET', KEYS[1]) or '0')
            local amount = tonumber(ARGV[1])
            if total + amount > tonumber(ARGV[2]) then
              return {0, total}
            end
            local now = redis.call('INCRBY', KEYS[1], amount)
            if redis.call('PTTL', KEYS[1]) < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
            end
            return {1, now}
            """;

    /** Adds ARGV[1]; a new counter expires after ARGV[2] ms. */
    private static final String ADJUST = """
            local now = redis.call('INCRBY', KEYS[1], ARGV[1])
            if redis.call('PTTL', KEYS[1]) < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return now
            """;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final String where;
    private final BooleanSupplier up;

    RedisSharedState(RedisClusterAsyncCommands<String, String> redis, String where, BooleanSupplier up) {
        this.redis = redis;
        this.where = where;
        this.up = up;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Optional<byte[]> get(String key) {
        String value = await(() -> redis.get(PREFIX + key), "reading");
        return value == null ? Optional.empty() : Optional.of(Base64.getDecoder().decode(value));
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        await(() -> redis.set(PREFIX + key, Base64.getEncoder().encodeToString(value),
                SetArgs.Builder.px(Math.max(1, ttl.toMillis()))), "writing");
    }

    @Override
    public void delete(String key) {
        await(() -> redis.del(PREFIX + key), "deleting");
    }

    @Override
    public Reservation reserve(String key, long amount, long limit, Duration ttl) {
        List<Object> answer = await(() -> redis.<List<Object>>eval(RESERVE, ScriptOutputType.MULTI,
                new String[] {PREFIX + key}, Long.toString(amount), Long.toString(limit),
                Long.toString(Math.max(1, ttl.toMillis()))), "reserving");
        return new Reservation(((Long) answer.get(0)) == 1, (Long) answer.get(1));
    }

    @Override
    public long adjust(String key, long delta, Duration ttl) {
        Long total = await(() -> redis.<Long>eval(ADJUST, ScriptOutputType.INTEGER, new String[] {PREFIX + key},
                Long.toString(delta), Long.toString(Math.max(1, ttl.toMillis()))), "counting");
        return total;
    }

    private <T> T await(java.util.function.Supplier<RedisFuture<T>> command, String doing) {
        if (!up.getAsBoolean()) {
            throw new SharedStateUnavailableException("Redis at " + where + " is unreachable");
        }
        RedisFuture<T> answer = command.get();
        try {
            return answer.get(RedisStore.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SharedStateUnavailableException(doing + " shared state in Redis at " + where + " failed: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw new SharedStateUnavailableException("Redis at " + where + " did not answer in time while "
                    + doing + " shared state");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SharedStateUnavailableException("interrupted while " + doing + " shared state");
        }
    }
}
