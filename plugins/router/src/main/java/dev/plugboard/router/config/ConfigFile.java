package dev.plugboard.router.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.config.Secrets;
import dev.plugboard.router.learned.SemanticMatch;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code router.json}. Pure apart from resolving {@code ${file:...}} secrets: an entry that
 * cannot be used is reported by name and left out while the rest is read; a file that is not JSON
 * is reported as a whole.
 */
public final class ConfigFile {

    /** The file's name in the config folder. */
    public static final String NAME = "router.json";

    private static final Set<String> QUALITY = Set.of("normal", "high", "critical");

    /**
     * What was read.
     *
     * @param config the usable configuration; empty when the file is missing, empty or unreadable
     * @param problems one sentence per entry left out, or for the whole file
     */
    public record Parsed(Optional<RouterConfig> config, List<String> problems) {
        /** Copies the list. */
        public Parsed {
            problems = List.copyOf(problems);
        }

        /** Whether the file as a whole could not be read (so the running config should stay). */
        public boolean unreadable() {
            return config.isEmpty() && !problems.isEmpty();
        }
    }

    private ConfigFile() {
    }

    /**
     * Reads the file's bytes.
     *
     * @param json the content; empty for a missing file
     * @param folder the config folder, for relative {@code ${file:...}} references
     * @param environment reads an environment variable; {@code System::getenv}
     */
    public static Parsed parse(byte[] json, ObjectMapper mapper, Path folder, Function<String, String> environment) {
        List<String> problems = new ArrayList<>();
        if (json.length == 0) {
            return new Parsed(Optional.empty(), problems);
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            problems.add(NAME + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
            return new Parsed(Optional.empty(), problems);
        } catch (IOException e) {
            problems.add(NAME + " cannot be read");
            return new Parsed(Optional.empty(), problems);
        }
        if (root == null || !root.isObject()) {
            problems.add(NAME + " must hold a JSON object with \"providers\", \"models\" and \"tiers\"");
            return new Parsed(Optional.empty(), problems);
        }
        Secrets secrets = new Secrets(environment, folder);
        Map<String, RouterConfig.Provider> providers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("providers").properties()) {
            try {
                providers.put(e.getKey(), provider(e.getKey(), e.getValue(), secrets));
            } catch (IllegalArgumentException bad) {
                problems.add("provider " + e.getKey() + " is not used: " + bad.getMessage());
            }
        }
        Map<String, RouterConfig.Model> models = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("models").properties()) {
            try {
                RouterConfig.Model m = model(e.getKey(), e.getValue());
                if (!providers.containsKey(m.provider())) {
                    throw new IllegalArgumentException("its provider \"" + m.provider() + "\" is not usable");
                }
                models.put(e.getKey(), m);
            } catch (IllegalArgumentException bad) {
                problems.add("model " + e.getKey() + " is not used: " + bad.getMessage());
            }
        }
        Map<String, RouterConfig.Tier> tiers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("tiers").properties()) {
            if (models.containsKey(e.getKey()) || e.getKey().equals("auto")) {
                problems.add("tier " + e.getKey() + " is not used: its name is taken by a model or by \"auto\"");
                continue;
            }
            List<String> names = new ArrayList<>();
            for (JsonNode n : e.getValue().path("models")) {
                if (models.containsKey(n.asText()) || n.asText().equals("@client")) {
                    names.add(n.asText());
                } else {
                    problems.add("tier " + e.getKey() + ": model \"" + n.asText() + "\" is not usable and is skipped");
                }
            }
            if (names.isEmpty()) {
                problems.add("tier " + e.getKey() + " is not used: it has no usable model");
                continue;
            }
            tiers.put(e.getKey(), new RouterConfig.Tier(e.getKey(), names, e.getValue().path("review").asBoolean(false)));
        }
        if (tiers.isEmpty()) {
            problems.add(NAME + " declares no usable tier, so the router is off");
            return new Parsed(Optional.empty(), problems);
        }
        String defaultTier = root.path("defaultTier").asText(tiers.keySet().iterator().next());
        if (!tiers.containsKey(defaultTier)) {
            problems.add("defaultTier \"" + defaultTier + "\" is not a usable tier; the first tier is used");
            defaultTier = tiers.keySet().iterator().next();
        }
        List<RouterConfig.Rule> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode r : root.path("rules")) {
            index++;
            String name = r.path("name").asText("rule " + index);
            JsonNode when = r.path("when");
            String quality = text(when, "qualityLevel");
            String tier = r.path("tier").asText("");
            if (quality != null && !QUALITY.contains(quality)) {
                problems.add(name + " is not used: qualityLevel must be normal, high or critical");
            } else if (!tiers.containsKey(tier)) {
                problems.add(name + " is not used: tier \"" + tier + "\" is not a usable tier");
            } else {
                rules.add(new RouterConfig.Rule(name, quality, text(when, "caller"), text(when, "project"), tier));
            }
        }
        Optional<RouterConfig.Learned> learned = Optional.empty();
        JsonNode l = root.path("learned");
        if (l.isObject()) {
            String weak = l.path("weakTier").asText("");
            String strong = l.path("strongTier").asText("");
            double share = l.path("targetStrongShare").asDouble(0.3);
            if (!tiers.containsKey(weak) || !tiers.containsKey(strong)) {
                problems.add("learned is not used: weakTier and strongTier must name usable tiers");
            } else if (!(share > 0 && share < 1)) {
                problems.add("learned is not used: targetStrongShare must be between 0 and 1");
            } else {
                learned = Optional.of(new RouterConfig.Learned(weak, strong, share, text(l, "examples")));
            }
        }
        Optional<RouterConfig.Review> review = Optional.empty();
        JsonNode rv = root.path("review");
        if (rv.isObject()) {
            String model = rv.path("model").asText("");
            if (!models.containsKey(model)) {
                problems.add("review is not used: model \"" + model + "\" is not a usable model");
            } else {
                review = Optional.of(new RouterConfig.Review(model, positive(rv, "maxTokens", 400)));
            }
        }
        double ceiling = root.path("maxCostPerRequest").asDouble(0);
        if (ceiling < 0) {
            problems.add("maxCostPerRequest must not be negative; no ceiling is applied");
            ceiling = 0;
        }
        JsonNode c = root.path("cache");
        JsonNode sc = c.path("semantic");
        double similarity = sc.path("threshold").asDouble(SemanticMatch.DEFAULT_MIN_SIMILARITY);
        if (!(similarity > 0 && similarity <= 1)) {
            problems.add("cache.semantic.threshold must be within (0, 1]; " + SemanticMatch.DEFAULT_MIN_SIMILARITY
                    + " is used");
            similarity = SemanticMatch.DEFAULT_MIN_SIMILARITY;
        }
        RouterConfig.Cache cache = new RouterConfig.Cache(c.path("enabled").asBoolean(true),
                Duration.ofSeconds(positive(c, "ttlSeconds", 600)), positive(c, "maxEntries", 10_000),
                new RouterConfig.Semantic(sc.path("enabled").asBoolean(false), similarity));
        List<RouterConfig.Budget> budgets = new ArrayList<>();
        for (JsonNode b : root.path("budgets")) {
            String name = b.path("name").asText("");
            try {
                if (name.isBlank()) {
                    throw new IllegalArgumentException("it needs a \"name\"");
                }
                RouterConfig.Period period = RouterConfig.Period.valueOf(
                        b.path("period").asText("day").toUpperCase(Locale.ROOT));
                double limit = b.path("limitUsd").asDouble(-1);
                if (limit < 0) {
                    throw new IllegalArgumentException("\"limitUsd\" must be a number of USD, 0 or more");
                }
                budgets.add(new RouterConfig.Budget(name, b.path("caller").asText("*"), period, limit));
            } catch (IllegalArgumentException bad) {
                String why = bad.getMessage() != null && bad.getMessage().startsWith("No enum")
                        ? "\"period\" must be hour, day, month or total" : bad.getMessage();
                problems.add("budget " + (name.isBlank() ? "#" + (budgets.size() + 1) : name) + " is not used: " + why);
            }
        }
        JsonNode cv = root.path("conversations");
        String summaryTier = cv.path("summaryTier").asText(tiers.keySet().iterator().next());
        if (!tiers.containsKey(summaryTier)) {
            problems.add("conversations.summaryTier \"" + summaryTier + "\" is not a usable tier; the first tier is used");
            summaryTier = tiers.keySet().iterator().next();
        }
        int maxMessages = positive(cv, "maxMessages", 40);
        int keepRecent = Math.min(positive(cv, "keepRecent", 10), maxMessages);
        RouterConfig.Conversations conversations = new RouterConfig.Conversations(maxMessages, keepRecent,
                summaryTier, positive(cv, "hotEntries", 1_000));
        return new Parsed(Optional.of(new RouterConfig(providers, models, tiers, defaultTier, rules, learned, review,
                ceiling, cache, budgets, conversations)), problems);
    }

    private static RouterConfig.Provider provider(String name, JsonNode p, Secrets secrets) {
        String base = p.path("baseUrl").asText("");
        URI uri;
        try {
            uri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"baseUrl\" is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("\"baseUrl\" must be an http or https URL");
        }
        String key = p.hasNonNull("apiKey") ? secrets.resolve(p.path("apiKey").asText()) : null;
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> h : p.path("headers").properties()) {
            headers.put(h.getKey(), secrets.resolve(h.getValue().asText()));
        }
        return new RouterConfig.Provider(name, uri, key, headers,
                Duration.ofMillis(positive(p, "connectTimeoutMs", 5_000)),
                Duration.ofMillis(positive(p, "firstTokenTimeoutMs", 30_000)),
                Duration.ofMillis(positive(p, "idleTimeoutMs", 30_000)),
                Duration.ofMillis(positive(p, "timeoutMs", 300_000)),
                Math.max(0, p.path("retries").asInt(1)));
    }

    private static RouterConfig.Model model(String alias, JsonNode m) {
        String provider = m.path("provider").asText("");
        if (provider.isEmpty()) {
            throw new IllegalArgumentException("it needs a \"provider\"");
        }
        double in = m.path("inputPerMillion").asDouble(0);
        double out = m.path("outputPerMillion").asDouble(0);
        if (in < 0 || out < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
        RouterConfig.Constraint constraint = switch (m.path("structuredOutput").asText("json_schema")) {
            case "json_schema" -> RouterConfig.Constraint.JSON_SCHEMA;
            case "grammar" -> RouterConfig.Constraint.GRAMMAR;
            case "none" -> RouterConfig.Constraint.NONE;
            default -> throw new IllegalArgumentException("\"structuredOutput\" must be json_schema, grammar or none");
        };
        return new RouterConfig.Model(alias, provider, m.path("model").asText(alias), in, out, constraint);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static int positive(JsonNode node, String field, int otherwise) {
        int v = node.path(field).asInt(otherwise);
        return v > 0 ? v : otherwise;
    }
}
