package dev.plugboard.router.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.store.SharedState;
import dev.plugboard.api.store.SharedStateUnavailableException;
import dev.plugboard.router.learned.SemanticMatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Answers kept by an exact key: the caller, what the client asked for (model, tier or {@code auto}),
 * the messages (system prompt included), tools and every sampling parameter. Callers never share
 * entries. In memory, least recently used out first, each entry for a fixed time. Thread-safe.
 *
 * <p>An entry may also carry its {@link Question} for the optional semantic cache: an answer is then
 * found for a reworded last user message, only among entries whose everything-else (caller, model,
 * system prompt, earlier messages, parameters: the {@link #contextKey}) is identical, and only when
 * {@link SemanticMatch} finds the two prompts ask the same question.
 *
 * <p>Once {@link #share} gave it the host's {@link SharedState}, an answer is also kept there (for
 * the same time, under its exact key) and a local miss is looked up there, so every node serves what
 * one answered; while the shared store is down such a look-up is a miss. The semantic index stays
 * in this process.
 */
public final class ExactCache {

    /** Request fields that do not change the answer, left out of the key. */
    private static final Set<String> NOT_KEYED = Set.of("stream", "stream_options", "user", "plugboard");

    /**
     * A kept answer.
     *
     * @param completion the {@code chat.completion} object as first answered
     * @param tier the tier that answered, or null
     * @param model the model alias that answered
     */
    public record Entry(ObjectNode completion, String tier, String model) {
    }

    /**
     * What a kept answer was asked, for semantic look-ups.
     *
     * @param context the {@link #contextKey} of its request
     * @param prompt the last user message's text
     * @param vector its unit-length embedding
     */
    public record Question(String context, String prompt, float[] vector) {
    }

    /**
     * The kept answer most similar to a question, with what the guard decided.
     *
     * @param entry the answer
     * @param decision whether it asks the same question ({@link SemanticMatch.Decision#same()}), and the similarity
     */
    public record Similar(Entry entry, SemanticMatch.Decision decision) {
    }

    private record Timed(Entry entry, long expires, Question question) {
    }

    private static final Logger LOG = Logger.getLogger(ExactCache.class.getName());

    private final int maxEntries;
    private final Duration ttl;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Timed> entries = new LinkedHashMap<>(16, 0.75f, true);
    private volatile SharedState shared;
    private volatile ObjectMapper mapper;

    /**
     * @param maxEntries the most answers kept
     * @param ttl how long an answer is served
     * @param clock nanoseconds, {@code System::nanoTime}
     */
    public ExactCache(int maxEntries, Duration ttl, LongSupplier clock) {
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The key of a request from one caller. */
    public static String key(ObjectMapper mapper, String caller, String requested, ObjectNode body) {
        ObjectNode keyed = mapper.createObjectNode();
        keyed.put("caller", caller);
        keyed.put("requested", requested);
        body.properties().forEach(e -> {
            if (!NOT_KEYED.contains(e.getKey()) && !e.getKey().equals("model")) {
                keyed.set(e.getKey(), e.getValue());
            }
        });
        StringBuilder canonical = new StringBuilder();
        write(canonical, keyed);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The key of everything in a request but the text of its last user message, or null when that message
     * is not plain text (parts such as images are never matched by meaning).
     */
    public static String contextKey(ObjectMapper mapper, String caller, String requested, ObjectNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).path("role").asText().equals("user")) {
                if (!messages.get(i).path("content").isTextual()) {
                    return null;
                }
                ObjectNode copy = body.deepCopy();
                ((ObjectNode) copy.get("messages").get(i)).putNull("content");
                return key(mapper, caller, requested + "|semantic", copy);
            }
        }
        return null;
    }

    private static void write(StringBuilder out, JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (String n : names) {
                out.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(n)).append(':');
                write(out, node.get(n));
                out.append(',');
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            node.forEach(n -> {
                write(out, n);
                out.append(',');
            });
            out.append(']');
        } else if (node.isNumber()) {
            out.append(node.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            out.append(node);
        }
    }

    /**
     * Keeps answers in the host's shared state too, and looks there on a local miss (null: in this
     * process only).
     *
     * @param state the shared state, or null
     * @param json reads and writes the kept answers
     */
    public void share(SharedState state, ObjectMapper json) {
        this.mapper = json;
        this.shared = state;
    }

    /** The answer kept under a key, if it is still fresh: here, else in the shared state. */
    public Optional<Entry> get(String key) {
        Optional<Entry> here = local(key);
        SharedState state = shared;
        if (here.isPresent() || state == null) {
            return here;
        }
        try {
            Optional<byte[]> kept = state.get("cache:" + key);
            if (kept.isEmpty()) {
                return Optional.empty();
            }
            JsonNode node = mapper.readTree(kept.get());
            return Optional.of(new Entry((ObjectNode) node.get("completion"),
                    node.path("tier").isTextual() ? node.get("tier").asText() : null, node.path("model").asText()));
        } catch (SharedStateUnavailableException e) {
            LOG.fine(() -> "The shared cache is unavailable; a miss: " + e.getMessage());
            return Optional.empty();
        } catch (java.io.IOException | ClassCastException e) {
            LOG.fine(() -> "A shared cache entry was not readable; a miss: " + e.getMessage());
            return Optional.empty();
        }
    }

    private synchronized Optional<Entry> local(String key) {
        Timed t = entries.get(key);
        if (t == null) {
            return Optional.empty();
        }
        if (clock.getAsLong() - t.expires > 0) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(t.entry);
    }

    /**
     * The fresh answer whose question is most similar to this one among those with the same context:
     * the most similar one the guard accepts, else the most similar one it refused.
     */
    public synchronized Optional<Similar> similar(Question question, SemanticMatch match) {
        long now = clock.getAsLong();
        String bestKey = null;
        Similar best = null;
        for (var e : entries.entrySet()) {
            Timed t = e.getValue();
            Question q = t.question;
            if (q == null || now - t.expires > 0 || !q.context().equals(question.context())
                    || q.vector().length != question.vector().length) {
                continue;
            }
            SemanticMatch.Decision d = match.compare(question.prompt(), question.vector(), q.prompt(), q.vector());
            if (best == null || (d.same() && !best.decision().same())
                    || (d.same() == best.decision().same() && d.similarity() > best.decision().similarity())) {
                best = new Similar(t.entry, d);
                bestKey = e.getKey();
            }
        }
        if (best != null && best.decision().same()) {
            entries.get(bestKey); // most recently used
        }
        return Optional.ofNullable(best);
    }

    /** Keeps an answer. */
    public void put(String key, Entry entry) {
        put(key, entry, null);
    }

    /** Keeps an answer with its question, found again by {@link #similar} (null: by its exact key only). */
    public void put(String key, Entry entry, Question question) {
        putLocally(key, entry, question);
        SharedState state = shared;
        if (state != null) {
            ObjectNode node = mapper.createObjectNode();
            node.set("completion", entry.completion());
            node.put("tier", entry.tier());
            node.put("model", entry.model());
            try {
                state.put("cache:" + key, mapper.writeValueAsBytes(node), ttl);
            } catch (SharedStateUnavailableException | com.fasterxml.jackson.core.JsonProcessingException e) {
                LOG.fine(() -> "An answer was not kept in the shared cache: " + e.getMessage());
            }
        }
    }

    private synchronized void putLocally(String key, Entry entry, Question question) {
        entries.put(key, new Timed(entry, clock.getAsLong() + ttl.toNanos(), question));
        while (entries.size() > maxEntries) {
            var eldest = entries.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** How many answers are kept. */
    public synchronized int size() {
        return entries.size();
    }

    /** Forgets everything. */
    public synchronized void clear() {
        entries.clear();
    }

    /** For tests and health: entries by key. */
    synchronized Map<String, Entry> snapshot() {
        Map<String, Entry> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v.entry));
        return out;
    }
}
