package dev.plugboard.plugins.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.api.upstream.UpstreamConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Resource subscriptions across the proxy: while at least one client session is subscribed to one
 * of an upstream's resources, the proxy is subscribed to it upstream (once, whatever the number of
 * sessions; again after a reconnect), and the upstream's {@code notifications/resources/updated}
 * is announced to the host, which tells the sessions subscribed to that URI.
 */
final class UpstreamSubscriptions {

    private static final Logger LOG = Logger.getLogger(UpstreamSubscriptions.class.getName());

    private final String upstream;
    private final ObjectMapper mapper;
    private final CatalogEvents events;
    private final Map<String, Integer> sessions = new HashMap<>();
    private UpstreamConnection connection;

    UpstreamSubscriptions(String upstream, ObjectMapper mapper, CatalogEvents events) {
        this.upstream = upstream;
        this.mapper = mapper;
        this.events = events;
    }

    /** A session subscribed to a URI of this upstream, or unsubscribed. */
    void changed(String uri, boolean subscribed) {
        UpstreamConnection c;
        synchronized (this) {
            int before = sessions.getOrDefault(uri, 0);
            int after = Math.max(0, before + (subscribed ? 1 : -1));
            if (after == 0) {
                sessions.remove(uri);
            } else {
                sessions.put(uri, after);
            }
            if ((before == 0) == (after == 0)) {
                return; // the upstream's subscription stays as it is
            }
            c = connection;
        }
        if (c != null) {
            send(c, subscribed ? "resources/subscribe" : "resources/unsubscribe", uri);
        }
    }

    /** A new connection: the URIs sessions are subscribed to are subscribed to again there. */
    void connected(UpstreamConnection c) {
        List<String> uris;
        synchronized (this) {
            connection = c;
            uris = List.copyOf(sessions.keySet());
        }
        if (!uris.isEmpty() && offersSubscriptions(c)) {
            uris.forEach(uri -> send(c, "resources/subscribe", uri));
        }
    }

    /** The connection ended: nothing is sent until the next one. */
    synchronized void disconnected() {
        connection = null;
    }

    /** The upstream's {@code notifications/resources/updated}: passed on to the host's clients. */
    void updated(String params) {
        try {
            JsonNode uri = params == null ? null : mapper.readTree(params).get("uri");
            if (uri != null && uri.isTextual()) {
                events.resourceUpdated(uri.asText());
            }
        } catch (Exception e) {
            LOG.fine(() -> "Upstream " + upstream + " sent a resource update that could not be read: " + e);
        }
    }

    private boolean offersSubscriptions(UpstreamConnection c) {
        try {
            return mapper.readTree(c.initializeResult()).path("capabilities").path("resources").path("subscribe")
                    .asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    private void send(UpstreamConnection c, String method, String uri) {
        if (!offersSubscriptions(c)) {
            return;
        }
        String params = mapper.createObjectNode().put("uri", uri).toString();
        c.request(method, params, null).whenComplete((r, failure) -> {
            if (failure != null) {
                LOG.fine(() -> "Upstream " + upstream + ": " + method + " " + uri + " failed: " + failure.getMessage());
            }
        });
    }
}
