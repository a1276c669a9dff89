package dev.plugboard.host.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.session.StoreUnavailableException;
import dev.plugboard.host.task.TaskRecord;
import dev.plugboard.host.task.TaskStatus;
import dev.plugboard.host.task.TaskStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Tasks in Redis, so that any node answers for any task: {@code plugboard:task:<id>} holds a task's
 * snapshot as JSON (expiring a minute after its time to live), the sorted set {@code plugboard:tasks}
 * lists the ids by creation time. A change is a compare-and-set of the whole snapshot (retried when
 * another node changed it in between), announced to the other nodes on the events channel, so that
 * the node running a task cancelled elsewhere stops its call, and a node waiting for a task's result
 * hears of its end.
 */
final class RedisTaskStore implements TaskStore {

    private static final Logger LOG = Logger.getLogger(RedisTaskStore.class.getName());
    private static final String TASK = "plugboard:task:";
    private static final String INDEX = "plugboard:tasks";
    private static final Duration GRACE = Duration.ofMinutes(1);
    private static final int ATTEMPTS = 50;

    /** KEYS: task. ARGV: the snapshot read, the new one, channel, message. -1 gone, 0 changed meanwhile, 1 set. */
    private static final String SWAP = """
            local current = redis.call('GET', KEYS[1])
            if not current then return -1 end
            if current ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
            redis.call('PUBLISH', ARGV[3], ARGV[4])
            return 1""";

    private final RedisClusterAsyncCommands<String, String> redis;
    private final ObjectMapper mapper;
    private final String node;
    private volatile Consumer<TaskRecord> changedElsewhere = t -> { };

    RedisTaskStore(RedisClusterAsyncCommands<String, String> redis, ObjectMapper mapper, String node) {
        this.redis = redis;
        this.mapper = mapper;
        this.node = node;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void onChangedElsewhere(Consumer<TaskRecord> listener) {
        this.changedElsewhere = listener;
    }

    /** A task changed by another node, from the events channel. */
    void changedElsewhere(String json) {
        TaskRecord task = parse(json);
        if (task != null) {
            changedElsewhere.accept(task);
        }
    }

    @Override
    public void create(TaskRecord task) {
        long keep = task.ttl().plus(GRACE).toMillis();
        String set = await(redis.set(TASK + task.id(), json(task), SetArgs.Builder.nx().px(keep)));
        if (!"OK".equals(set)) {
            throw new IllegalStateException("task id taken: " + task.id());
        }
        await(redis.zadd(INDEX, task.createdAt().toEpochMilli(), task.id()));
    }

    @Override
    public Optional<TaskRecord> get(String id) {
        String json = await(redis.get(TASK + id));
        return json == null ? Optional.empty() : Optional.ofNullable(parse(json));
    }

    @Override
    public Optional<TaskRecord> update(String id, UnaryOperator<TaskRecord> change) {
        for (int i = 0; i < ATTEMPTS; i++) {
            String json = await(redis.get(TASK + id));
            TaskRecord before = json == null ? null : parse(json);
            if (before == null) {
                return Optional.empty();
            }
            TaskRecord after = change.apply(before);
            if (after == before) {
                return Optional.of(before);
            }
            String next = json(after);
            String message = mapper.createObjectNode().put("node", node).put("type", "task").put("id", id)
                    .put("state", next).toString();
            Long swapped = await(redis.eval(SWAP, ScriptOutputType.INTEGER, new String[] {TASK + id}, json, next,
                    RedisStore.EVENTS, message));
            if (swapped == 1) {
                return Optional.of(after);
            }
            if (swapped == -1) {
                return Optional.empty();
            }
        }
        throw new StoreUnavailableException("the task store is busy with this task; try again shortly");
    }

    @Override
    public List<TaskRecord> all() {
        List<String> ids = await(redis.zrevrange(INDEX, 0, -1));
        List<TaskRecord> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            List<KeyValue<String, String>> values = await(redis.mget(chunk.stream().map(id -> TASK + id)
                    .toArray(String[]::new)));
            List<String> gone = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                KeyValue<String, String> v = values.get(i);
                TaskRecord t = v.hasValue() ? parse(v.getValue()) : null;
                if (t == null) {
                    gone.add(chunk.get(i));
                } else {
                    out.add(t);
                }
            }
            if (!gone.isEmpty()) {
                redis.zrem(INDEX, gone.toArray(String[]::new));
            }
        }
        out.sort(Comparator.comparing(TaskRecord::createdAt).reversed().thenComparing(TaskRecord::id));
        return out;
    }

    @Override
    public boolean remove(String id) {
        redis.zrem(INDEX, id);
        return await(redis.del(TASK + id)) > 0;
    }

    private <T> T await(RedisFuture<T> answer) {
        try {
            return answer.get(RedisStore.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.fine(() -> "The task store did not answer: " + e);
            throw new StoreUnavailableException("the task store is unreachable; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("the server is shutting down");
        }
    }

    private String json(TaskRecord t) {
        ObjectNode o = mapper.createObjectNode().put("id", t.id()).put("owner", t.owner()).put("tool", t.tool())
                .put("revision", t.revision()).put("status", t.status().name()).put("statusMessage", t.statusMessage())
                .put("createdAt", t.createdAt().toString()).put("lastUpdatedAt", t.lastUpdatedAt().toString())
                .put("ttlMillis", t.ttl().toMillis()).put("pollMillis", t.pollInterval().toMillis())
                .put("progress", t.progress()).put("total", t.total());
        o.set("result", t.result());
        if (t.error() != null) {
            o.putObject("error").put("code", t.error().code()).put("message", t.error().message());
        }
        ObjectNode questions = o.putObject("inputRequests");
        t.inputRequests().forEach(questions::set);
        return o.toString();
    }

    private TaskRecord parse(String json) {
        try {
            JsonNode o = mapper.readTree(json);
            Map<String, JsonNode> questions = new LinkedHashMap<>();
            o.path("inputRequests").properties().forEach(e -> questions.put(e.getKey(), e.getValue()));
            JsonNode error = o.path("error");
            JsonNode result = o.get("result");
            return new TaskRecord(o.path("id").asText(), o.path("owner").asText(), o.path("tool").asText(),
                    o.path("revision").asText(), TaskStatus.valueOf(o.path("status").asText()),
                    o.path("statusMessage").asText(null), Instant.parse(o.path("createdAt").asText()),
                    Instant.parse(o.path("lastUpdatedAt").asText()), Duration.ofMillis(o.path("ttlMillis").asLong()),
                    Duration.ofMillis(o.path("pollMillis").asLong()),
                    o.path("progress").isNumber() ? o.path("progress").asDouble() : null,
                    o.path("total").isNumber() ? o.path("total").asDouble() : null,
                    result == null || result.isNull() ? null : result,
                    error.isObject() ? new TaskRecord.TaskError(error.path("code").asInt(),
                            error.path("message").asText()) : null,
                    questions);
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "Ignoring a stored task that cannot be read: " + e.getMessage());
            return null;
        }
    }
}
