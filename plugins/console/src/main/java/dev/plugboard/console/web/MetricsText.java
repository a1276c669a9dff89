package dev.plugboard.console.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The few figures the overview shows, read from the host's Prometheus text ({@code GET /metrics}).
 *
 * @param requests requests the engine answered since start (all doors)
 * @param errors of those, the ones whose outcome was {@code client_error} or {@code server_error}
 * @param p99Seconds the 99th percentile of their durations from the histogram buckets (upper bound), or -1
 * @param sessions open sessions
 * @param tools tools in the catalogue
 * @param bundles jars of the deploy folder by state
 */
public record MetricsText(double requests, double errors, double p99Seconds, double sessions, double tools,
        Map<String, Double> bundles) {

    /** Reads the figures; absent series count as zero. */
    public static MetricsText parse(String text) {
        double requests = 0;
        double errors = 0;
        double sessions = 0;
        double tools = 0;
        Map<String, Double> bundles = new TreeMap<>();
        Map<Double, Double> buckets = new TreeMap<>();
        for (PrometheusSample sample : PrometheusSample.parse(text)) {
            double value = sample.value();
            switch (sample.name()) {
                case "plugboard_requests_seconds_count" -> {
                    requests += value;
                    String outcome = sample.label("outcome");
                    if ("client_error".equals(outcome) || "server_error".equals(outcome)) {
                        errors += value;
                    }
                }
                case "plugboard_requests_seconds_bucket" -> {
                    String le = sample.label("le");
                    if (le != null) {
                        double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                        buckets.merge(bound, value, Double::sum);
                    }
                }
                case "plugboard_sessions" -> sessions = value;
                case "plugboard_catalog_tools" -> tools = value;
                case "plugboard_bundles" -> {
                    String state = sample.label("state");
                    if (state != null) {
                        bundles.put(state, value);
                    }
                }
                default -> { }
            }
        }
        return new MetricsText(requests, errors, p99(buckets), sessions, tools, bundles);
    }

    private static double p99(Map<Double, Double> cumulative) {
        List<Map.Entry<Double, Double>> entries = new ArrayList<>(cumulative.entrySet());
        if (entries.isEmpty()) {
            return -1;
        }
        double total = entries.get(entries.size() - 1).getValue();
        if (total <= 0) {
            return -1;
        }
        for (Map.Entry<Double, Double> e : entries) {
            if (e.getValue() >= total * 0.99) {
                return e.getKey();
            }
        }
        return -1;
    }
}
