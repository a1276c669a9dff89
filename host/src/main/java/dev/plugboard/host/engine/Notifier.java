package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.catalog.Kind;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.session.Sessions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells clients that the catalogue or a resource changed: sessions of the session-based revisions on
 * their stream for unprompted messages, and listeners of the stateless revision
 * ({@code subscriptions/listen}) on their stream, tagged with their subscription id and only for what
 * they asked. Bursts of list changes are coalesced.
 */
final class Notifier {

    static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    private static final Map<Kind, String> LIST_CHANGED = Map.of(
            Kind.TOOLS, "notifications/tools/list_changed",
            Kind.RESOURCES, "notifications/resources/list_changed",
            Kind.PROMPTS, "notifications/prompts/list_changed");

    /**
     * A {@code subscriptions/listen} stream and what it asked for.
     *
     * @param id the listen request's id, which tags every notification
     * @param kinds the list changes it wants
     * @param uris the resources whose updates it wants
     * @param sink the stream
     */
    record Listener(JsonNode id, Set<Kind> kinds, Set<String> uris, MessageSink sink) {
    }

    private final Sessions sessions;
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Kind, AtomicBoolean> pending = new ConcurrentHashMap<>();

    Notifier(Sessions sessions) {
        this.sessions = sessions;
        for (Kind k : Kind.values()) {
            pending.put(k, new AtomicBoolean());
        }
    }

    /** Adds a listener until the handle is closed. */
    AutoCloseable listen(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Announces list changes (coalesced per kind; sent from a virtual thread). */
    void changed(Set<Kind> kinds) {
        for (Kind kind : kinds) {
            if (pending.get(kind).compareAndSet(false, true)) {
                Thread.ofVirtual().name("list-changed").start(() -> {
                    pending.get(kind).set(false);
                    String method = LIST_CHANGED.get(kind);
                    JsonRpcNotification plain = new JsonRpcNotification(method, null);
                    for (Session s : sessions.all()) {
                        s.sendUnprompted(plain);
                    }
                    for (Listener l : listeners) {
                        if (l.kinds().contains(kind)) {
                            l.sink().send(new JsonRpcNotification(method, tagged(l.id())));
                        }
                    }
                });
            }
        }
    }

    /** Announces that a resource changed, to those subscribed to it. */
    void resourceUpdated(String uri) {
        JsonRpcNotification plain = new JsonRpcNotification("notifications/resources/updated",
                JsonNodeFactory.instance.objectNode().put("uri", uri));
        for (Session s : sessions.all()) {
            if (s.subscriptions().contains(uri)) {
                s.sendUnprompted(plain);
            }
        }
        for (Listener l : listeners) {
            if (l.uris().contains(uri)) {
                l.sink().send(new JsonRpcNotification("notifications/resources/updated", tagged(l.id()).put("uri", uri)));
            }
        }
    }

    /** Params carrying only the subscription id. */
    static ObjectNode tagged(JsonNode id) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putObject("_meta").set(SUBSCRIPTION_ID, id);
        return params;
    }

    static Set<Kind> noKinds() {
        return EnumSet.noneOf(Kind.class);
    }
}
