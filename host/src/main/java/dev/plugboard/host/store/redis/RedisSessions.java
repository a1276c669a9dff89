package dev.plugboard.host.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import dev.plugboard.host.session.AnswerRoute;
import dev.plugboard.host.session.SessionState;
import dev.plugboard.host.session.SessionStore;
import dev.plugboard.host.session.StoreUnavailableException;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Sessions in Redis: {@code plugboard:session:<id>} holds a session's {@link SessionState} as JSON
 * and expires after the idle timeout unless a node renews it; {@code plugboard:session-ended:<id>}
 * marks a session ended (for as long as a session lives), so that no node brings it back, not even
 * one that held it through an outage. {@code plugboard:question:<id>:<request id>} names the node
 * that waits for the client's answer to a server-to-client request, so that an answer reaching
 * another node is relayed to it ({@code plugboard:node:<node>} says whether that node still lives).
 */
final class RedisSessions implements SessionStore {

    private static final Logger LOG = Logger.getLogger(RedisSessions.class.getName());
    private static final String SESSION = "plugboard:session:";
    private static final String ENDED = "plugboard:session-ended:";
    private static final String STREAM = "plugboard:session-stream:";
    private static final String QUESTION = "plugboard:question:";
    /** A node's heartbeat key, renewed by {@link RedisStore} while the node runs. */
    static final String NODE = "plugboard:node:";
    /** How many events of a session's stream of unprompted messages Redis keeps (about). */
    private static final long KEPT_EVENTS = 1000;

    /**
     * KEYS: session, tombstone. ARGV: expiry ms, state without its opening brace, channel, the start of
     * a message telling the other nodes (or empty for none), the writer's revision.
     * The store counts the revision: one past the higher of the stored one and the writer's, written
     * first in the state (and in the message, which the state ends). 0 when the session ended, else the
     * revision.
     */
    private static final String SAVE = """
            if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            local revision = tonumber(ARGV[5])
            local old = redis.call('GET', KEYS[1])
            if old then
              local stored = tonumber(string.match(old, '^{"revision":(%d+),'))
              if stored and stored > revision then revision = stored end
            end
            revision = revision + 1
            local state = '{"revision":' .. revision .. ',' .. ARGV[2]
            redis.call('SET', KEYS[1], state, 'PX', ARGV[1])
            if ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[4] .. state .. '}') end
            return revision""";
    /** KEYS: session, tombstone. ARGV: expiry ms, state. 0 when ended, 1 renewed, 2 written again. */
    private static final String KEEP = """
            if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 1 then return 1 end
            if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
            return 2""";
    /** KEYS: session, tombstone, stream. ARGV: expiry ms, channel, message. */
    private static final String END = """
            redis.call('DEL', KEYS[1], KEYS[3])
            redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
            redis.call('PUBLISH', ARGV[2], ARGV[3])
            return 1""";

    private final RedisClusterAsyncCommands<String, String> redis;
    private final ObjectMapper mapper;
    private final String expiry;
    private final String node;
    private final BooleanSupplier up;
    /** In a Redis Cluster: ids in braces, so that a session's keys share a slot (its scripts touch several). */
    private final boolean cluster;
    private volatile Consumer<String> endedElsewhere = id -> { };
    private volatile Consumer<SessionState> changedElsewhere = s -> { };
    private volatile Supplier<Collection<SessionState>> held = List::of;
    private volatile Runnable afterResync = () -> { };
    private volatile Consumer<String> streamTakenElsewhere = id -> { };
    private volatile BiConsumer<String, JsonRpcResponse> answerFromElsewhere = (id, answer) -> { };
    private final JsonRpcCodec codec;

    RedisSessions(RedisClusterAsyncCommands<String, String> redis, ObjectMapper mapper, Duration idleTimeout, String node,
            BooleanSupplier up, boolean cluster) {
        this.cluster = cluster;
        this.redis = redis;
        this.mapper = mapper;
        this.expiry = Long.toString(idleTimeout.toMillis());
        this.node = node;
        this.up = up;
        this.codec = new JsonRpcCodec(mapper);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public long save(SessionState state) {
        return write(state, "");
    }

    @Override
    public long update(SessionState state) {
        String start = mapper.createObjectNode().put("node", node).put("type", "changed").put("id", state.id())
                .toString();
        return write(state, start.substring(0, start.length() - 1) + ",\"state\":");
    }

    /** Stores a session; with the start of a message, tells the other nodes. Returns the revision or 0. */
    private long write(SessionState state, String messageStart) {
        String json = json(state);
        RedisFuture<Long> saved = redis.eval(SAVE, ScriptOutputType.INTEGER, keys(state.id()), expiry,
                json.substring(json.indexOf(',') + 1), RedisStore.EVENTS, messageStart,
                Long.toString(state.revision()));
        // Acknowledged to the client only once stored, so that the next request may go to any node.
        Long revision = awaitWhileUp(saved, "Storing session " + state.id());
        return revision == null ? 0 : revision;
    }

    /**
     * Waits for a write while Redis is reachable, and returns its result; while Redis is not
     * reachable, the write stays queued for later and the result is null.
     */
    private <T> T awaitWhileUp(RedisFuture<T> write, String what) {
        if (!up.getAsBoolean()) {
            return null;
        }
        try {
            return write.get(RedisStore.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.fine(() -> what + " is still pending: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    @Override
    public Optional<SessionState> load(String id) {
        if (!up.getAsBoolean()) {
            throw new StoreUnavailableException("the session store is unreachable; try again shortly");
        }
        String json;
        try {
            json = redis.get(SESSION + tagged(id)).get(RedisStore.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new StoreUnavailableException("the session store did not answer; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("the server is shutting down");
        }
        return json == null ? Optional.empty() : parse(id, json);
    }

    @Override
    public void keepAlive(SessionState state, Runnable ifEnded) {
        redis.eval(KEEP, ScriptOutputType.INTEGER, keys(state.id()), expiry, json(state)).thenAccept(r -> {
            if (r instanceof Long n && n == 0) {
                LOG.fine(() -> "Session " + state.id() + " ended on another node");
                Thread.ofVirtual().name("session-ended").start(ifEnded);
            } else if (r instanceof Long n && n == 2) {
                LOG.fine(() -> "Session " + state.id() + " written to the store again");
            }
        });
    }

    @Override
    public void end(String id) {
        String message = mapper.createObjectNode().put("node", node).put("type", "ended").put("id", id).toString();
        String tag = tagged(id);
        awaitWhileUp(redis.eval(END, ScriptOutputType.INTEGER, new String[] {SESSION + tag, ENDED + tag, STREAM + tag},
                expiry, RedisStore.EVENTS, message), "Ending session " + id);
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public void awaiting(String sessionId, String requestId) {
        awaitWhileUp(redis.set(question(sessionId, requestId), node, SetArgs.Builder.px(Long.parseLong(expiry))),
                "Recording question " + requestId);
    }

    @Override
    public void answered(String sessionId, String requestId) {
        redis.del(question(sessionId, requestId));
    }

    @Override
    public AnswerRoute forward(String sessionId, JsonRpcResponse answer) {
        if (!answer.id().isTextual()) {
            return AnswerRoute.NOT_AWAITED;
        }
        if (!up.getAsBoolean()) {
            throw new StoreUnavailableException("the session store is unreachable; try again shortly");
        }
        String key = question(sessionId, answer.id().asText());
        String asker = read(redis.get(key));
        if (asker == null || asker.equals(node)) {
            return AnswerRoute.NOT_AWAITED; // answered, given up, or never asked
        }
        if (read(redis.exists(NODE + asker)) == 0L) {
            redis.del(key);
            return AnswerRoute.ASKER_GONE;
        }
        read(redis.publish(RedisStore.EVENTS, mapper.createObjectNode().put("node", node).put("type", "answer")
                .put("to", asker).put("id", sessionId)
                .put("answer", new String(codec.encodeForPeer(answer), StandardCharsets.UTF_8)).toString()));
        return AnswerRoute.FORWARDED;
    }

    @Override
    public void onAnswerFromElsewhere(BiConsumer<String, JsonRpcResponse> action) {
        this.answerFromElsewhere = action;
    }

    /** Another node received the client's answer to a question of this node. */
    void answerFromElsewhere(String sessionId, String json) {
        try {
            if (codec.decode(json.getBytes(StandardCharsets.UTF_8)) instanceof JsonRpcResponse answer) {
                answerFromElsewhere.accept(sessionId, answer);
            }
        } catch (RuntimeException e) {
            LOG.fine(() -> "An answer relayed by another node is unreadable: " + e.getMessage());
        }
    }

    private String question(String sessionId, String requestId) {
        return QUESTION + tagged(sessionId) + ":" + requestId;
    }

    /** A read the caller needs now: an unreachable store is the client's "try again". */
    private <T> T read(RedisFuture<T> command) {
        if (!up.getAsBoolean()) {
            throw new StoreUnavailableException("the session store is unreachable; try again shortly");
        }
        try {
            return command.get(RedisStore.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new StoreUnavailableException("the session store did not answer; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("the server is shutting down");
        }
    }

    @Override
    public void onEndedElsewhere(Consumer<String> action) {
        this.endedElsewhere = action;
    }

    @Override
    public void onChangedElsewhere(Consumer<SessionState> action) {
        this.changedElsewhere = action;
    }

    /** Another node changed a session: this node's copy takes the new state. */
    void changedElsewhere(String id, JsonNode state) {
        parse(id, state).ifPresent(changedElsewhere);
    }

    @Override
    public void resyncFrom(Supplier<Collection<SessionState>> sessions) {
        this.held = sessions;
    }

    @Override
    public void logEvent(String sessionId, long seq, byte[] json) {
        String key = STREAM + tagged(sessionId);
        redis.xadd(key, XAddArgs.Builder.maxlen(KEPT_EVENTS).approximateTrimming(), "seq", Long.toString(seq), "json",
                new String(json, StandardCharsets.UTF_8));
        redis.pexpire(key, Long.parseLong(expiry));
    }

    @Override
    public List<StreamEvent> loggedEvents(String sessionId) {
        if (!up.getAsBoolean()) {
            throw new StoreUnavailableException("the session store is unreachable");
        }
        try {
            List<StreamMessage<String, String>> kept = redis.xrange(STREAM + tagged(sessionId), Range.create("-", "+"))
                    .get(RedisStore.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<StreamEvent> events = new ArrayList<>(kept.size());
            for (StreamMessage<String, String> m : kept) {
                String seq = m.getBody().get("seq");
                String json = m.getBody().get("json");
                if (seq != null && json != null) {
                    events.add(new StreamEvent(Long.parseLong(seq), json.getBytes(StandardCharsets.UTF_8)));
                }
            }
            return events;
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            throw new StoreUnavailableException("the session store did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("the server is shutting down");
        }
    }

    @Override
    public void streamTaken(String sessionId) {
        redis.publish(RedisStore.EVENTS, mapper.createObjectNode().put("node", node).put("type", "stream")
                .put("id", sessionId).toString());
    }

    @Override
    public void onStreamTakenElsewhere(Consumer<String> action) {
        this.streamTakenElsewhere = action;
    }

    /** Another node took a session's stream of unprompted messages. */
    void streamTakenElsewhere(String id) {
        streamTakenElsewhere.accept(id);
    }

    /** Sets what runs after a resynchronisation. */
    void onResync(Runnable action) {
        this.afterResync = action;
    }

    /** Another node ended a session: this node's copy goes. */
    void endedElsewhere(String id) {
        endedElsewhere.accept(id);
    }

    /** Gives Redis the sessions this node holds again (unless ended meanwhile), after an outage. */
    void resync() {
        Collection<SessionState> sessions = held.get();
        for (SessionState s : sessions) {
            keepAlive(s, () -> endedElsewhere.accept(s.id()));
        }
        LOG.info(() -> "Gave Redis the " + sessions.size() + " session(s) this node holds");
        afterResync.run();
    }

    private String tagged(String id) {
        return cluster ? "{" + id + "}" : id;
    }

    private String[] keys(String id) {
        return new String[] {SESSION + tagged(id), ENDED + tagged(id)};
    }

    private String json(SessionState s) {
        ObjectNode node = mapper.createObjectNode();
        node.put("revision", s.revision());
        node.put("version", s.version().id());
        if (s.client() != null) {
            node.set("client", mapper.valueToTree(s.client()));
        }
        node.set("capabilities", s.capabilities().raw());
        if (s.clientAddress() != null) {
            node.put("address", s.clientAddress());
        }
        if (s.owner() != null) {
            node.put("owner", s.owner());
        }
        node.put("logLevel", s.logLevel().name());
        node.put("initialized", s.initialized());
        var subscriptions = node.putArray("subscriptions");
        s.subscriptions().forEach(subscriptions::add);
        return node.toString();
    }

    private Optional<SessionState> parse(String id, String json) {
        try {
            return parse(id, mapper.readTree(json));
        } catch (JsonProcessingException e) {
            LOG.warning(() -> "Session " + id + " in Redis is unreadable; treated as ended: " + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<SessionState> parse(String id, JsonNode node) {
        try {
            Optional<ProtocolVersion> version = ProtocolVersion.parse(node.path("version").asText());
            if (version.isEmpty()) {
                return Optional.empty();
            }
            Implementation client = node.hasNonNull("client")
                    ? mapper.treeToValue(node.get("client"), Implementation.class) : null;
            Set<String> subscriptions = new LinkedHashSet<>();
            node.path("subscriptions").forEach(u -> subscriptions.add(u.asText()));
            LogLevel level = LogLevel.valueOf(node.path("logLevel").asText("INFO"));
            return Optional.of(new SessionState(id, version.get(), client,
                    new ClientCapabilities(node.path("capabilities").isObject() ? node.get("capabilities")
                            : mapper.createObjectNode()),
                    node.hasNonNull("address") ? node.get("address").asText() : null, level,
                    node.path("initialized").asBoolean(), subscriptions,
                    node.hasNonNull("owner") ? node.get("owner").asText() : null,
                    node.path("revision").asLong()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warning(() -> "Session " + id + " in Redis is unreadable; treated as ended: " + e.getMessage());
            return Optional.empty();
        }
    }
}
