package dev.plugboard.host.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.tool.ResultCache;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Cached tool results and resource reads in Redis, shared by every node:
 * {@code plugboard:result:<generation>:<key>} with the tool's or resource's expiry. A change of tools
 * or resources on any node moves the shared generation on
 * ({@code plugboard:result-generation}), which drops every cached result at once. While Redis is
 * unreachable nothing is cached and every call runs.
 */
final class RedisResultCache implements ResultCache {

    private static final Logger LOG = Logger.getLogger(RedisResultCache.class.getName());
    private static final String RESULT = "plugboard:result:";
    static final String GENERATION = "plugboard:result-generation";
    private static final long READ_TIMEOUT_MILLIS = 500;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final ObjectMapper mapper;
    private final BooleanSupplier up;
    private volatile String generation = "0";

    RedisResultCache(RedisClusterAsyncCommands<String, String> redis, ObjectMapper mapper, BooleanSupplier up) {
        this.redis = redis;
        this.mapper = mapper;
        this.up = up;
        refresh();
    }

    @Override
    public JsonNode get(String key) {
        if (!up.getAsBoolean()) {
            return null;
        }
        try {
            String json = redis.get(RESULT + generation + ":" + key).get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return json == null ? null : mapper.readTree(json);
        } catch (ExecutionException | TimeoutException | JsonProcessingException e) {
            LOG.fine(() -> "Reading a cached result failed: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void put(String key, JsonNode result, Duration ttl) {
        if (up.getAsBoolean()) {
            redis.set(RESULT + generation + ":" + key, result.toString(), SetArgs.Builder.px(ttl.toMillis()));
        }
    }

    @Override
    public void remove(String key) {
        if (up.getAsBoolean()) {
            redis.del(RESULT + generation + ":" + key);
        }
    }

    /** Tools or resources changed on this node: every node's cached results go. */
    void toolsChangedHere() {
        redis.incr(GENERATION).thenAccept(g -> generation = Long.toString(g));
    }

    /** Reads the shared generation (tools changed on another node, or Redis came back). */
    void refresh() {
        redis.get(GENERATION).thenAccept(g -> generation = g == null ? "0" : g);
    }
}
