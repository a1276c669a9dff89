package dev.plugboard.router.learned;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the answer options a prompt lists say about its difficulty: options that share most of their
 * words ("paralysis of the facial muscles" / "... and loss of taste" / "... loss of taste and
 * lacrimation") ask for a finer distinction than options that have nothing in common, and the strong
 * model gains more on them. A ridge regression of the gain on two measures of that overlap, the largest
 * and the mean Jaccard similarity of the options' word sets over every pair of options. A prompt that
 * lists fewer than two options measures zero on both.
 *
 * <p>Options are consecutive lettered lines, {@code A.} or {@code A)} or {@code (A)} then {@code B} and
 * so on (at most {@value #MAX_OPTIONS}); every other line belongs to the question. With two weights fitted
 * on thousands of examples the fit does not overfit its own history, so the history's estimates are the
 * fitted values themselves.
 */
final class Options {

    /** The L2 penalty per example on the standardised measures' weights. */
    static final double PENALTY = 1e-3;
    /** Letters after {@code J} do not start an option. */
    static final int MAX_OPTIONS = 10;

    private final double[] mean;
    private final double[] scale;
    private final double[] weights;
    private final double intercept;

    private Options(double[] mean, double[] scale, double[] weights, double intercept) {
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.intercept = intercept;
    }

    static Options fit(LabelledPrompt[] examples) {
        int n = examples.length;
        double[][] x = new double[n][];
        double[] gain = new double[n];
        double[] mean = new double[2];
        double intercept = 0;
        for (int i = 0; i < n; i++) {
            x[i] = overlap(examples[i].prompt());
            gain[i] = examples[i].strongGain();
            intercept += gain[i] / n;
            mean[0] += x[i][0] / n;
            mean[1] += x[i][1] / n;
        }
        double[] scale = new double[2];
        for (double[] row : x) {
            scale[0] += (row[0] - mean[0]) * (row[0] - mean[0]) / n;
            scale[1] += (row[1] - mean[1]) * (row[1] - mean[1]) / n;
        }
        scale[0] = scale[0] > 0 ? 1 / Math.sqrt(scale[0]) : 0; // a constant measure gets no weight
        scale[1] = scale[1] > 0 ? 1 / Math.sqrt(scale[1]) : 0;
        // (Z^T Z + penalty n I) w = Z^T (y - mean y), Z the standardised measures: two by two
        double a = PENALTY * n;
        double b = 0;
        double d = PENALTY * n;
        double r0 = 0;
        double r1 = 0;
        for (int i = 0; i < n; i++) {
            double z0 = (x[i][0] - mean[0]) * scale[0];
            double z1 = (x[i][1] - mean[1]) * scale[1];
            a += z0 * z0;
            b += z0 * z1;
            d += z1 * z1;
            r0 += z0 * (gain[i] - intercept);
            r1 += z1 * (gain[i] - intercept);
        }
        double determinant = a * d - b * b;
        double[] weights = determinant > 0
                ? new double[] {(d * r0 - b * r1) / determinant, (a * r1 - b * r0) / determinant}
                : new double[2];
        return new Options(mean, scale, weights, intercept);
    }

    /** The estimated gain for a prompt. */
    double estimate(String prompt) {
        double[] x = overlap(prompt);
        return intercept + weights[0] * (x[0] - mean[0]) * scale[0] + weights[1] * (x[1] - mean[1]) * scale[1];
    }

    /** The largest and the mean Jaccard similarity of the listed options' word sets; zeros below two options. */
    static double[] overlap(String prompt) {
        List<Set<String>> options = new ArrayList<>();
        for (String line : prompt.split("\n", -1)) {
            String text = option(line, options.size());
            if (text != null) {
                options.add(new HashSet<>(Words.tokens(text)));
            }
        }
        double largest = 0;
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < options.size(); i++) {
            for (int j = i + 1; j < options.size(); j++) {
                double similarity = jaccard(options.get(i), options.get(j));
                largest = Math.max(largest, similarity);
                sum += similarity;
                pairs++;
            }
        }
        return new double[] {largest, pairs == 0 ? 0 : sum / pairs};
    }

    /** The option's text when the line starts the option with this index ({@code A.}, {@code A)}, {@code (A)}), else null. */
    static String option(String line, int index) {
        if (index >= MAX_OPTIONS) {
            return null;
        }
        int at = line.startsWith("(") ? 1 : 0;
        if (line.length() < at + 2 || line.charAt(at) != (char) ('A' + index)) {
            return null;
        }
        char mark = line.charAt(at + 1);
        if (mark != '.' && mark != ')') {
            return null;
        }
        int start = at + 2;
        if (start < line.length() && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        return line.substring(start);
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0;
        }
        int common = 0;
        for (String t : a) {
            if (b.contains(t)) {
                common++;
            }
        }
        return (double) common / (a.size() + b.size() - common);
    }
}
