package dev.plugboard.console.web;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The model router's figures since the host started, read from the host's Prometheus text
 * ({@code GET /metrics}; the router's meters are on the host's registry).
 *
 * @param spendUsd the cost the providers reported, in USD
 * @param calls model calls by outcome
 * @param cacheHits answers served from the cache (exact and semantic)
 * @param spendByTier the cost by tier
 */
public record RouterFigures(double spendUsd, Map<String, Double> calls, double cacheHits, Map<String, Double> spendByTier) {

    /** Reads the figures; absent series count as zero. */
    public static RouterFigures parse(String text) {
        double spend = 0;
        double hits = 0;
        Map<String, Double> calls = new TreeMap<>();
        Map<String, Double> byTier = new TreeMap<>();
        for (PrometheusSample sample : PrometheusSample.parse(text)) {
            double value = sample.value();
            switch (sample.name()) {
                case "router_cost_usd_total" -> {
                    spend += value;
                    byTier.merge(Objects.requireNonNullElse(sample.label("tier"), "none"), value, Double::sum);
                }
                case "router_requests_total" ->
                        calls.merge(Objects.requireNonNullElse(sample.label("outcome"), "none"), value, Double::sum);
                case "router_cache_hits_total" -> hits += value;
                default -> { }
            }
        }
        return new RouterFigures(spend, calls, hits, byTier);
    }

    /** Model calls of any outcome. */
    public double totalCalls() {
        return calls.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The share of requests the cache answered (hits over hits plus model calls), as text. */
    public String cacheHitRate() {
        double all = cacheHits + totalCalls();
        return all == 0 ? "no requests yet" : String.format("%.1f %%", 100 * cacheHits / all);
    }

    /** The spend as text. */
    public String spend() {
        return String.format("$%.6f", spendUsd);
    }
}
