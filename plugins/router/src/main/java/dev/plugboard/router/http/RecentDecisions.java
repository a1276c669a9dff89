package dev.plugboard.router.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The last routing decisions the doors answered with, in a bounded ring in memory, for
 * {@code GET /v1/router/decisions} (the console's router page) and GraphQL's {@code routerDecisions}:
 * who asked, the tier and model that answered, the policy and its reason, the cost and the cache's
 * verdict. Thread-safe.
 */
@Component(service = RecentDecisions.class)
public class RecentDecisions {

    /** How many decisions are kept. */
    static final int CAPACITY = 100;

    /**
     * One decision.
     *
     * @param at when the answer was given
     * @param caller who asked
     * @param tier the tier that answered, or null when a model was named
     * @param model the model that answered
     * @param policy what decided ({@code rule}, {@code learned}, ...)
     * @param reason the sentence explaining the choice
     * @param cost the cost in USD
     * @param cache {@code hit}, {@code miss}, {@code semantic} or {@code off}
     * @param escalatedFrom the tier first chosen when another answered, or null
     */
    public record Decision(Instant at, String caller, String tier, String model, String policy, String reason,
            double cost, String cache, String escalatedFrom) {

        /**
         * The decision as the doors show it: {@code caller} only when asked for (admins see it), and
         * {@code escalatedFrom} only when another tier answered.
         */
        public Map<String, Object> shown(boolean withCaller) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("at", at.toString());
            if (withCaller) {
                out.put("caller", caller);
            }
            out.put("tier", tier);
            out.put("model", model);
            out.put("policy", policy);
            out.put("reason", reason);
            out.put("cost", cost);
            out.put("cache", cache);
            if (escalatedFrom != null) {
                out.put("escalatedFrom", escalatedFrom);
            }
            return out;
        }
    }

    private final Deque<Decision> ring = new ArrayDeque<>();

    /** Keeps the decision an answer's {@code plugboard} object explains. */
    public void remember(String caller, JsonNode why) {
        if (why == null || !why.isObject()) {
            return;
        }
        Decision d = new Decision(Instant.now(), caller, text(why, "tier"), text(why, "model"), text(why, "policy"),
                text(why, "reason"), why.path("cost").asDouble(0), text(why, "cache"), text(why, "escalatedFrom"));
        synchronized (ring) {
            if (ring.size() == CAPACITY) {
                ring.removeLast();
            }
            ring.addFirst(d);
        }
    }

    /** The kept decisions, newest first: all of them, or only those of {@code caller} when it is not null. */
    public List<Decision> newestFirst(String caller) {
        List<Decision> out = new ArrayList<>();
        synchronized (ring) {
            for (Decision d : ring) {
                if (caller == null || caller.equals(d.caller())) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
