package dev.plugboard.host.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the public readiness probe ({@code /health/ready}, open to every caller as probes are) shows
 * a caller without the admin right: the same report with its text taken out. Plugins' reports carry
 * text an operator wants and nobody else should read (an upstream's last error may name a URL, a
 * host or what the upstream answered), so only states, numbers and booleans stay: the
 * {@code status}, {@code state} and {@code breaker} words (up, degraded, down, ACTIVE, OPEN...),
 * counts, latencies, flags, and the names the report is keyed by (plugins, upstreams, files).
 * Lists of objects (bundles, calls) keep their entries so; lists of text (problems, thread names),
 * other strings and nulls are left out.
 */
public final class PublicReadiness {

    private static final Set<String> STATE_KEYS = Set.of("status", "state", "breaker");
    /** A state is one word; a longer text under a state key is a reason, and is left out. */
    private static final Pattern STATE_WORD = Pattern.compile("[A-Za-z][A-Za-z_-]{0,31}");

    private PublicReadiness() {
    }

    /** The public form of a full readiness report (a JSON object). */
    public static ObjectNode of(JsonNode full) {
        return object(full);
    }

    private static ObjectNode object(JsonNode node) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode kept = value(field.getKey(), field.getValue());
            if (kept != null) {
                out.set(field.getKey(), kept);
            }
        }
        return out;
    }

    private static JsonNode value(String key, JsonNode value) {
        if (value.isObject()) {
            return object(value);
        }
        if (value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : value) {
                if (!element.isObject()) {
                    return null;
                }
                out.add(object(element));
            }
            return out;
        }
        if (value.isNumber() || value.isBoolean()) {
            return value;
        }
        if (value.isTextual() && STATE_KEYS.contains(key) && STATE_WORD.matcher(value.asText()).matches()) {
            return value;
        }
        return null;
    }
}
