package dev.plugboard.bench.report;

import java.util.Arrays;
import java.util.List;

/**
 * How a figure varied over repeated runs: the machine's noise.
 *
 * @param min the smallest
 * @param median the median (the mean of the middle two for an even count)
 * @param max the largest
 * @param runs how many runs
 */
public record Spread(double min, double median, double max, int runs) {

    /** The spread of some values. */
    public static Spread of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Spread(v[0], median, v[v.length - 1], v.length);
    }

    /** The spread of some values. */
    public static Spread of(double... values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    /** The largest deviation from the median, as a fraction of it. */
    public double relativeRange() {
        return median == 0 ? 0 : Math.max(median - min, max - median) / median;
    }
}
