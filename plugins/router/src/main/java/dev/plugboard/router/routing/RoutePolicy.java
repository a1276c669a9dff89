package dev.plugboard.router.routing;

import dev.plugboard.router.config.RouterConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides where a request goes before any model is called: a named model or tier as asked; for
 * {@code auto}, the first matching rule, then MCP model preferences, then the learned router (when
 * one is plugged in), then the default tier. Every decision carries its reason. Stateless.
 */
public final class RoutePolicy {

    private final RouterConfig config;
    private final Supplier<Optional<LearnedRoute>> learned;

    /**
     * @param config the running configuration
     * @param learned the learned router, when one is available
     */
    public RoutePolicy(RouterConfig config, Supplier<Optional<LearnedRoute>> learned) {
        this.config = config;
        this.learned = learned;
    }

    /**
     * Decides.
     *
     * @throws IllegalArgumentException when the request names no known model or tier
     */
    public RouteDecision decide(RouteRequest request) {
        String asked = request.requested();
        if (config.models().containsKey(asked)) {
            return new RouteDecision(null, List.of(asked), false, "model", "the request named model " + asked, null);
        }
        if (config.tiers().containsKey(asked)) {
            return tier(asked, "tier", "the request named tier " + asked);
        }
        if (!asked.equals("auto")) {
            throw new IllegalArgumentException("model \"" + asked + "\" is neither a model, a tier nor \"auto\"; "
                    + "GET /v1/models lists them");
        }
        for (RouterConfig.Rule rule : config.rules()) {
            if (matches(rule, request)) {
                return tier(rule.tier(), "rule", rule.name() + " matched (" + describe(rule) + ")");
            }
        }
        Optional<RouteDecision> byPreferences = preferences(request.preferences());
        if (byPreferences.isPresent()) {
            return byPreferences.get();
        }
        if (config.learned().isPresent()) {
            RouterConfig.Learned settings = config.learned().get();
            Optional<LearnedRoute> router = learned.get();
            if (router.isPresent() && router.get().ready() && !request.prompt().isBlank()) {
                LearnedRoute.Judgement j = router.get().judge(request.prompt());
                String tier = j.strong() ? settings.strongTier() : settings.weakTier();
                RouteDecision d = tier(tier, "learned", String.format(Locale.ROOT,
                        "the learned router scored %.3f against its threshold %.3f", j.score(), j.threshold()));
                return new RouteDecision(d.tier(), d.models(), d.escalate(), d.policy(), d.reason(), j.neighbours());
            }
            String why = router.isEmpty() ? "not available" : router.get().ready() ? "given no prompt text"
                    : "not ready (" + router.get().status() + ")";
            return tier(config.defaultTier(), "default", "no rule matched and the learned router is " + why
                    + ", so the default tier " + config.defaultTier() + " answers");
        }
        return tier(config.defaultTier(), "default", "no rule matched, so the default tier "
                + config.defaultTier() + " answers");
    }

    private RouteDecision tier(String name, String policy, String reason) {
        return new RouteDecision(name, config.tiers().get(name).models(), true, policy, reason, null);
    }

    private static boolean matches(RouterConfig.Rule rule, RouteRequest r) {
        return (rule.qualityLevel() == null || rule.qualityLevel().equals(r.qualityLevel()))
                && (rule.caller() == null || rule.caller().equals(r.caller()))
                && (rule.project() == null || rule.project().equals(r.project()));
    }

    private static String describe(RouterConfig.Rule rule) {
        List<String> parts = new ArrayList<>();
        if (rule.qualityLevel() != null) {
            parts.add("qualityLevel " + rule.qualityLevel());
        }
        if (rule.caller() != null) {
            parts.add("caller " + rule.caller());
        }
        if (rule.project() != null) {
            parts.add("project " + rule.project());
        }
        return parts.isEmpty() ? "always" : String.join(", ", parts);
    }

    /**
     * Hints first (the first hint that is a substring of a model's alias or upstream name picks that
     * model's tier); otherwise priorities: intelligence above cost and speed picks the top tier, cost
     * or speed above intelligence the bottom tier, and a tie the default tier.
     */
    private Optional<RouteDecision> preferences(ModelPreferences p) {
        if (p.isEmpty()) {
            return Optional.empty();
        }
        for (String hint : p.hints()) {
            String h = hint.toLowerCase(Locale.ROOT);
            for (RouterConfig.Tier tier : config.tiers().values()) {
                for (String alias : tier.models()) {
                    RouterConfig.Model m = config.models().get(alias);
                    String upstream = m == null ? alias : m.upstreamName();
                    if (alias.toLowerCase(Locale.ROOT).contains(h) || upstream.toLowerCase(Locale.ROOT).contains(h)) {
                        List<String> order = new ArrayList<>(tier.models());
                        order.remove(alias);
                        order.add(0, alias);
                        return Optional.of(new RouteDecision(tier.name(), order, true, "preferences",
                                "the model hint \"" + hint + "\" matched model " + alias + " in tier " + tier.name(), null));
                    }
                }
            }
        }
        double intelligence = p.intelligencePriority() == null ? 0 : p.intelligencePriority();
        double thrift = Math.max(p.costPriority() == null ? 0 : p.costPriority(),
                p.speedPriority() == null ? 0 : p.speedPriority());
        List<String> names = List.copyOf(config.tiers().keySet());
        if (intelligence > thrift) {
            String top = names.get(names.size() - 1);
            return Optional.of(tier(top, "preferences", String.format(Locale.ROOT,
                    "intelligencePriority %.2f outweighs cost and speed, so the top tier %s answers", intelligence, top)));
        }
        if (thrift > intelligence) {
            String bottom = names.get(0);
            List<String> cheapestFirst = new ArrayList<>(config.tiers().get(bottom).models());
            cheapestFirst.sort(Comparator.comparingDouble(a -> config.models().containsKey(a)
                    ? config.models().get(a).cost(1000, 1000) : 0));
            return Optional.of(new RouteDecision(bottom, cheapestFirst, true, "preferences", String.format(Locale.ROOT,
                    "cost or speed priority %.2f outweighs intelligence, so the bottom tier %s answers", thrift, bottom),
                    null));
        }
        return Optional.empty();
    }
}
