package dev.plugboard.host.store.redis;

import dev.plugboard.host.embedding.SharedVectors;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Embedding vectors in Redis: {@code plugboard:embedding:<model>:<SHA-256 of the text>} holds a
 * vector (its floats, little-endian, in Base64), kept for 30 days after it was last written. Texts
 * are never stored, only their digests. While Redis is unreachable nothing is asked (every vector
 * not cached on the node is computed there).
 */
final class RedisVectors implements SharedVectors {

    private static final Logger LOG = Logger.getLogger(RedisVectors.class.getName());
    private static final String KEY = "plugboard:embedding:";
    private static final long KEPT_SECONDS = Duration.ofDays(30).toSeconds();

    private final RedisClusterAsyncCommands<String, String> redis;
    private final BooleanSupplier up;

    RedisVectors(RedisClusterAsyncCommands<String, String> redis, BooleanSupplier up) {
        this.redis = redis;
        this.up = up;
    }

    @Override
    public Map<String, float[]> get(String model, List<String> texts) {
        Map<String, float[]> found = new HashMap<>();
        if (texts.isEmpty() || !up.getAsBoolean()) {
            return found;
        }
        List<KeyValue<String, String>> values;
        try {
            values = redis.mget(texts.stream().map(t -> key(model, t)).toArray(String[]::new))
                    .get(RedisStore.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.fine(() -> "Shared vectors did not answer: " + e);
            return found;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return found;
        }
        for (int i = 0; i < values.size(); i++) {
            KeyValue<String, String> v = values.get(i);
            if (v.hasValue()) {
                float[] vector = decode(v.getValue());
                if (vector != null) {
                    found.put(texts.get(i), vector);
                }
            }
        }
        return found;
    }

    @Override
    public void put(String model, Map<String, float[]> vectors) {
        vectors.forEach((text, vector) -> redis.set(key(model, text), encode(vector), SetArgs.Builder.ex(KEPT_SECONDS))
                .exceptionally(e -> {
                    LOG.fine(() -> "Sharing a vector failed: " + e);
                    return null;
                }));
    }

    private static String key(String model, String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return KEY + model + ":" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            bytes.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static float[] decode(String text) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (raw.length % Float.BYTES != 0) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.length / Float.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.getFloat();
        }
        return out;
    }
}
