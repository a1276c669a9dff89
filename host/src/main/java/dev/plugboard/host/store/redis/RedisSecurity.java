package dev.plugboard.host.store.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.security.RateCounters;
import dev.plugboard.host.security.SharedSecurity;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Rate counters and API-key revocations in Redis. A fixed window is the key
 * {@code plugboard:rate:<what>}, counted with {@code INCR} and expiring when the window ends (so the
 * window starts with its first request on whichever node, and no clocks are compared); a concurrency
 * limit is {@code plugboard:running:<what>}, expiring an hour after its last entry so that the slots
 * of a node that died do not stay taken for ever. Revoked keys are the hash
 * {@code plugboard:revoked-keys} (digest to the time), announced on the events channel. While Redis
 * is unreachable the counters of this node's memory stand in (each node limits alone), and
 * revocations are queued for when it is back.
 */
final class RedisSecurity implements SharedSecurity, RateCounters {

    private static final Logger LOG = Logger.getLogger(RedisSecurity.class.getName());
    private static final String RATE = "plugboard:rate:";
    private static final String RUNNING = "plugboard:running:";
    static final String REVOKED = "plugboard:revoked-keys";
    private static final long RUNNING_EXPIRY_MILLIS = Duration.ofHours(1).toMillis();

    /** KEYS: the window. ARGV: max, window ms. 0 when admitted, else the ms until the window ends. */
    private static final String TAKE = """
            local n = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              ttl = tonumber(ARGV[2])
            end
            if n > tonumber(ARGV[1]) then return math.max(ttl, 1) end
            return 0""";
    /** KEYS: the slots. ARGV: max, expiry ms. 1 when entered, else 0. */
    private static final String ENTER = """
            local n = redis.call('INCR', KEYS[1])
            if n > tonumber(ARGV[1]) then
              redis.call('DECR', KEYS[1])
              return 0
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1""";
    /** KEYS: the slots. */
    private static final String LEAVE = """
            if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
            return 1""";
    /** KEYS: the revoked keys. ARGV: channel, message, then digest and time pairs. */
    private static final String REVOKE = """
            for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            redis.call('PUBLISH', ARGV[1], ARGV[2])
            return 1""";

    private final RedisClusterAsyncCommands<String, String> redis;
    private final ObjectMapper mapper;
    private final String node;
    private final BooleanSupplier up;
    private final RateCounters local = RateCounters.inMemory();
    /** Entries admitted by this node's memory while Redis was out of reach, left there too. */
    private final Map<String, Integer> enteredLocally = new HashMap<>();
    private volatile Consumer<Set<String>> revoked = d -> { };

    RedisSecurity(RedisClusterAsyncCommands<String, String> redis, ObjectMapper mapper, String node, BooleanSupplier up) {
        this.redis = redis;
        this.mapper = mapper;
        this.node = node;
        this.up = up;
    }

    @Override
    public RateCounters counters() {
        return this;
    }

    @Override
    public long take(String key, int max, Duration interval) {
        Long wait = await(redis.eval(TAKE, ScriptOutputType.INTEGER, new String[] {RATE + key},
                Integer.toString(max), Long.toString(Math.max(1, interval.toMillis()))));
        return wait != null ? wait : local.take(key, max, interval);
    }

    @Override
    public boolean enter(String key, int max) {
        Long entered = await(redis.eval(ENTER, ScriptOutputType.INTEGER, new String[] {RUNNING + key},
                Integer.toString(max), Long.toString(RUNNING_EXPIRY_MILLIS)));
        if (entered != null) {
            return entered == 1;
        }
        if (!local.enter(key, max)) {
            return false;
        }
        synchronized (enteredLocally) {
            enteredLocally.merge(key, 1, Integer::sum);
        }
        return true;
    }

    @Override
    public void leave(String key) {
        synchronized (enteredLocally) {
            Integer n = enteredLocally.get(key);
            if (n != null) {
                if (n == 1) {
                    enteredLocally.remove(key);
                } else {
                    enteredLocally.put(key, n - 1);
                }
                local.leave(key);
                return;
            }
        }
        redis.eval(LEAVE, ScriptOutputType.INTEGER, new String[] {RUNNING + key}).exceptionally(e -> {
            LOG.fine(() -> "Leaving a shared concurrency limit failed: " + e);
            return 0L;
        });
    }

    /** The answer of a counter's script, or null when Redis is out of reach or too slow (count locally). */
    private Long await(RedisFuture<Long> answer) {
        if (!up.getAsBoolean()) {
            answer.cancel(false);
            return null;
        }
        try {
            return answer.get(RedisStore.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.fine(() -> "A shared rate counter did not answer; counting on this node: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void revoke(Set<String> digests) {
        ObjectNode message = mapper.createObjectNode().put("node", node).put("type", "revoked");
        var list = message.putArray("digests");
        digests.forEach(list::add);
        String[] args = new String[2 + 2 * digests.size()];
        args[0] = RedisStore.EVENTS;
        args[1] = message.toString();
        int i = 2;
        String now = Instant.now().toString();
        for (String d : digests) {
            args[i++] = d;
            args[i++] = now;
        }
        redis.eval(REVOKE, ScriptOutputType.INTEGER, new String[] {REVOKED}, args).exceptionally(e -> {
            LOG.warning(() -> "Telling the other nodes of a revoked API key failed: " + e.getMessage());
            return 0L;
        });
    }

    @Override
    public void onRevoked(Consumer<Set<String>> revoked) {
        this.revoked = revoked;
        resync();
    }

    /** Keys revoked on another node, from the events channel. */
    void revokedElsewhere(Set<String> digests) {
        revoked.accept(digests);
    }

    /** Reads every revoked key again (at start, and when Redis is back after an outage). */
    void resync() {
        try {
            Set<String> all = redis.hkeys(REVOKED).get(RedisStore.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .stream().collect(java.util.stream.Collectors.toSet());
            if (!all.isEmpty()) {
                revoked.accept(all);
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning(() -> "Reading the API keys revoked on other nodes failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
