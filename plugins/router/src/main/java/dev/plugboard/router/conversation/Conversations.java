package dev.plugboard.router.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.store.SharedState;
import dev.plugboard.api.store.SharedStateUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Conversations by owner and id: recent ones hot in memory, every one kept on disk in an H2 MVStore
 * file and committed on each change, so a restart loses nothing. Messages are OpenAI message
 * objects. Thread-safe.
 *
 * <p>Once {@link #share} gave it the host's {@link SharedState}, the hot tier is shared too: every
 * change is also written there (kept {@link #SHARED_TTL} after the last change) and a load reads it
 * first, so a conversation continues on any node. The cold file stays this node's own: a conversation
 * idle longer than that is found only on the node(s) that served it. Two nodes appending to one
 * conversation at the same instant may lose one of the two appends.
 */
public final class Conversations implements AutoCloseable {

    /**
     * One conversation.
     *
     * @param summary what older, compressed turns said; "" when nothing was compressed
     * @param messages the turns kept verbatim, oldest first
     */
    public record Conversation(String summary, List<ObjectNode> messages) {
        /** Copies the list. */
        public Conversation {
            messages = List.copyOf(messages);
        }

        /** An empty conversation. */
        public static final Conversation EMPTY = new Conversation("", List.of());
    }

    /** How long a conversation stays in the shared hot tier after its last change. */
    public static final Duration SHARED_TTL = Duration.ofHours(24);

    private static final Logger LOG = Logger.getLogger(Conversations.class.getName());

    private final ObjectMapper mapper;
    private volatile SharedState shared;
    private final MVStore store;
    private final MVMap<String, String> cold;
    private final int hotEntries;
    private final LinkedHashMap<String, Conversation> hot = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * Opens (or creates) the store.
     *
     * @param file the MVStore file
     * @param hotEntries how many conversations stay in memory
     */
    public Conversations(Path file, int hotEntries, ObjectMapper mapper) {
        this.mapper = mapper;
        this.hotEntries = hotEntries;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.store = new MVStore.Builder().fileName(file.toString()).compress().open();
        this.cold = store.openMap("conversations");
    }

    private static String key(String owner, String id) {
        return owner + "\u0000" + id;
    }

    /** Shares the hot tier through the host's state from now on (null: this node's memory only). */
    public void share(SharedState state) {
        this.shared = state;
    }

    /** A conversation; {@link Conversation#EMPTY} when none is kept under the id for the owner. */
    public synchronized Conversation load(String owner, String id) {
        String key = key(owner, id);
        SharedState state = shared;
        if (state != null) {
            try {
                Optional<byte[]> json = state.get(sharedKey(key));
                if (json.isPresent()) {
                    Conversation c = read(new String(json.get(), StandardCharsets.UTF_8));
                    remember(key, c);
                    return c;
                }
            } catch (SharedStateUnavailableException e) {
                LOG.fine(() -> "The shared conversations are unavailable; reading this node's: " + e.getMessage());
            }
        }
        Conversation c = hot.get(key);
        if (c != null) {
            return c;
        }
        String json = cold.get(key);
        c = json == null ? Conversation.EMPTY : read(json);
        remember(key, c);
        return c;
    }

    /** Adds turns at the end. */
    public synchronized Conversation append(String owner, String id, List<ObjectNode> turns) {
        Conversation now = load(owner, id);
        List<ObjectNode> messages = new ArrayList<>(now.messages());
        turns.forEach(t -> messages.add(t.deepCopy()));
        return save(owner, id, new Conversation(now.summary(), messages));
    }

    /**
     * Replaces the oldest turns by a summary, if the conversation still starts with them.
     *
     * @param replaced how many of the oldest messages the summary covers
     * @return whether the conversation changed
     */
    public synchronized boolean compress(String owner, String id, String summary, int replaced) {
        Conversation now = load(owner, id);
        if (replaced > now.messages().size()) {
            return false;
        }
        save(owner, id, new Conversation(summary, now.messages().subList(replaced, now.messages().size())));
        return true;
    }

    /** Sets the summary, keeping the turns. */
    public synchronized Conversation summarise(String owner, String id, String summary) {
        return save(owner, id, new Conversation(summary, load(owner, id).messages()));
    }

    private Conversation save(String owner, String id, Conversation c) {
        String key = key(owner, id);
        ObjectNode json = mapper.createObjectNode();
        json.put("summary", c.summary());
        c.messages().forEach(json.putArray("messages")::add);
        if (c.messages().isEmpty()) {
            json.putArray("messages");
        }
        cold.put(key, json.toString());
        store.commit();
        remember(key, c);
        SharedState state = shared;
        if (state != null) {
            try {
                state.put(sharedKey(key), json.toString().getBytes(StandardCharsets.UTF_8), SHARED_TTL);
            } catch (SharedStateUnavailableException e) {
                LOG.fine(() -> "A conversation was kept on this node only: " + e.getMessage());
            }
        }
        return c;
    }

    private static String sharedKey(String key) {
        return "conversation:" + HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8));
    }

    private void remember(String key, Conversation c) {
        hot.put(key, c);
        while (hot.size() > hotEntries) {
            var eldest = hot.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    private Conversation read(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            List<ObjectNode> messages = new ArrayList<>();
            node.path("messages").forEach(m -> messages.add((ObjectNode) m));
            return new Conversation(node.path("summary").asText(""), messages);
        } catch (IOException e) {
            return Conversation.EMPTY;
        }
    }

    /** How many conversations are hot (for health). */
    public synchronized int hotCount() {
        return hot.size();
    }

    /** How many conversations are kept on disk (for health). */
    public synchronized int coldCount() {
        return cold.size();
    }

    /** Commits and closes the file. */
    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }

    /** For tests: the hot entries. */
    synchronized Map<String, Conversation> hotSnapshot() {
        return Map.copyOf(hot);
    }
}
