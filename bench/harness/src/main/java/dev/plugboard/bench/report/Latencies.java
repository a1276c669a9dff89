package dev.plugboard.bench.report;

import java.util.Arrays;

/**
 * Percentiles of a set of timings, in milliseconds (nearest-rank: the p-th percentile is the
 * smallest value with at least p% of the values at or below it).
 *
 * @param count how many timings
 * @param p50 the median
 * @param p95 the 95th percentile
 * @param p99 the 99th percentile
 * @param max the largest
 */
public record Latencies(int count, double p50, double p95, double p99, double max) {

    /** The percentiles of timings in nanoseconds. */
    public static Latencies ofNanos(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted.length, millis(sorted, 0.50), millis(sorted, 0.95), millis(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
