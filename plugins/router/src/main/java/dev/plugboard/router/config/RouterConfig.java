package dev.plugboard.router.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code config/router.json} says, checked and with its secrets resolved. Immutable.
 *
 * @param providers OpenAI-compatible servers by name
 * @param models models by the alias clients name them with, in the file's order
 * @param tiers tiers by name, in escalation order (the file's order)
 * @param defaultTier the tier {@code auto} uses when no rule matches
 * @param rules routing rules, first match wins
 * @param learned the learned router's settings, or empty
 * @param review the verified cascade's settings, or empty
 * @param maxCostPerRequest the most one request may cost across its cascade, in USD; 0 for no ceiling
 * @param cache the exact response cache's settings
 * @param budgets spending limits
 * @param conversations how conversations are kept
 */
public record RouterConfig(Map<String, Provider> providers, Map<String, Model> models, Map<String, Tier> tiers,
        String defaultTier, List<Rule> rules, Optional<Learned> learned, Optional<Review> review,
        double maxCostPerRequest, Cache cache, List<Budget> budgets, Conversations conversations) {

    /** Copies the collections. */
    public RouterConfig {
        providers = Map.copyOf(providers);
        models = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(models));
        tiers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tiers));
        rules = List.copyOf(rules);
        budgets = List.copyOf(budgets);
    }

    /**
     * An OpenAI-compatible server.
     *
     * @param name the provider's name in the file
     * @param baseUrl the URL that {@code /chat/completions} is appended to (such as {@code https://host/v1})
     * @param apiKey the bearer token, resolved; null for none
     * @param headers extra request headers, resolved
     * @param connectTimeout the longest a connection may take
     * @param firstTokenTimeout the longest until the response's headers and first chunk
     * @param idleTimeout the longest gap between two chunks of a stream
     * @param requestTimeout the longest a whole answer may take
     * @param retries how many times a failure before the first byte is tried again on the same model
     */
    public record Provider(String name, URI baseUrl, String apiKey, Map<String, String> headers,
            Duration connectTimeout, Duration firstTokenTimeout, Duration idleTimeout, Duration requestTimeout,
            int retries) {
        /** Copies the headers. */
        public Provider {
            headers = Map.copyOf(headers);
        }
    }

    /** How a reviewer model is asked for a structured verdict. */
    public enum Constraint {
        /** OpenAI's {@code response_format} with a JSON schema. */
        JSON_SCHEMA,
        /** llama.cpp's GBNF {@code grammar} field. */
        GRAMMAR,
        /** Neither: the verdict is only validated. */
        NONE
    }

    /**
     * A model on a provider.
     *
     * @param alias the name clients use and {@code /v1/models} lists
     * @param provider the provider's name
     * @param upstreamName the name sent to the provider
     * @param inputPerMillion USD per million prompt tokens
     * @param outputPerMillion USD per million completion tokens
     * @param constraint how structured output is asked of this model
     */
    public record Model(String alias, String provider, String upstreamName, double inputPerMillion,
            double outputPerMillion, Constraint constraint) {

        /** The cost in USD of a call with these token counts. */
        public double cost(long promptTokens, long completionTokens) {
            return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1_000_000.0;
        }
    }

    /**
     * A named tier: an ordered list of models, the first tried first.
     *
     * @param name the tier's name
     * @param models model aliases in fallback order
     * @param reviewed whether answers from this tier go through the review step (when review is configured)
     */
    public record Tier(String name, List<String> models, boolean reviewed) {
        /** Copies the list. */
        public Tier {
            models = List.copyOf(models);
        }
    }

    /**
     * A routing rule: every condition given must hold.
     *
     * @param name the rule's name, quoted in explanations
     * @param qualityLevel {@code normal}, {@code high} or {@code critical}; null for any
     * @param caller a principal's name; null for any
     * @param project a project name; null for any
     * @param tier the tier chosen
     */
    public record Rule(String name, String qualityLevel, String caller, String project, String tier) {
    }

    /**
     * The learned router's settings.
     *
     * @param weakTier the tier for prompts the router finds easy
     * @param strongTier the tier for the others
     * @param targetStrongShare the share of calls the threshold is calibrated to send to the strong tier
     * @param examples the labelled examples file, or null
     */
    public record Learned(String weakTier, String strongTier, double targetStrongShare, String examples) {
    }

    /**
     * The verified cascade.
     *
     * @param model the reviewer model's alias
     * @param maxTokens the most tokens the verdict may take
     */
    public record Review(String model, int maxTokens) {
    }

    /**
     * The exact response cache.
     *
     * @param enabled whether answers are cached
     * @param ttl how long an answer is served from the cache
     * @param maxEntries the most answers kept
     * @param semantic the semantic cache's settings
     */
    public record Cache(boolean enabled, Duration ttl, int maxEntries, Semantic semantic) {
    }

    /**
     * The semantic cache: a reworded question from the same caller, with the same model, system prompt,
     * earlier messages and parameters, is answered from the cache.
     *
     * @param enabled whether it is on (off unless the file says so)
     * @param threshold the cosine similarity of the two prompts' embeddings a hit needs, within (0, 1]
     */
    public record Semantic(boolean enabled, double threshold) {
    }

    /** How long a budget's period lasts. */
    public enum Period {
        /** A clock hour (UTC). */
        HOUR,
        /** A calendar day (UTC). */
        DAY,
        /** A calendar month (UTC). */
        MONTH,
        /** Never renewed. */
        TOTAL
    }

    /**
     * A spending limit.
     *
     * @param name the budget's name, quoted when it refuses a request
     * @param caller the principal it applies to; {@code *} for each caller separately
     * @param period how long it lasts
     * @param limitUsd the most that may be spent in one period, in USD
     */
    public record Budget(String name, String caller, Period period, double limitUsd) {

        /** Whether the budget applies to a principal. */
        public boolean appliesTo(String principal) {
            return caller.equals("*") || caller.equals(principal);
        }
    }

    /**
     * How conversations are kept.
     *
     * @param maxMessages past this many messages, older turns are compressed into a summary
     * @param keepRecent how many recent messages stay verbatim after a compression
     * @param summaryTier the tier that writes summaries
     * @param hotEntries how many conversations stay in memory
     */
    public record Conversations(int maxMessages, int keepRecent, String summaryTier, int hotEntries) {
    }

    /** The tier's index in escalation order, or -1. */
    public int tierIndex(String tier) {
        int i = 0;
        for (String name : tiers.keySet()) {
            if (name.equals(tier)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** The tier after this one in escalation order, if any. */
    public Optional<String> nextTier(String tier) {
        List<String> names = List.copyOf(tiers.keySet());
        int i = names.indexOf(tier);
        return i < 0 || i + 1 >= names.size() ? Optional.empty() : Optional.of(names.get(i + 1));
    }
}
