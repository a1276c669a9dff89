package dev.plugboard.console.web;

import java.util.List;
import java.util.Map;

/**
 * The overview's figures.
 *
 * @param status the host's overall health
 * @param version the host's version
 * @param parts each part's health
 * @param metrics figures from {@code /metrics}
 * @param requestsPerSecond requests answered per second since the previous look (0 the first time)
 * @param tasks the user's tasks by status
 * @param router the model router's figures from {@code /metrics} (all zero without the router)
 */
public record Overview(String status, String version, List<Part> parts, MetricsText metrics,
        double requestsPerSecond, Map<String, Long> tasks, RouterFigures router) {

    /** The error rate in percent of all requests, as text. */
    public String errorRate() {
        return metrics.requests() == 0 ? "0 %" : String.format("%.1f %%", 100 * metrics.errors() / metrics.requests());
    }

    /** The p99 as text. */
    public String p99() {
        double s = metrics.p99Seconds();
        if (s < 0) {
            return "no requests yet";
        }
        return Double.isInfinite(s) ? "over 60 s" : s < 1 ? String.format("≤ %.1f ms", s * 1000)
                : String.format("≤ %.1f s", s);
    }

    /** Requests per second as text. */
    public String rate() {
        return String.format("%.1f", requestsPerSecond);
    }

    /**
     * One part of {@code GET /health}.
     *
     * @param name the part
     * @param status UP, DEGRADED or DOWN
     * @param details its other fields, as text
     */
    public record Part(String name, String status, String details) {
    }
}
