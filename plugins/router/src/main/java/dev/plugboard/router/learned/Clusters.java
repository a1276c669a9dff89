package dev.plugboard.router.learned;

/**
 * K-means clusters of the history's embeddings (spherical: centroids kept at unit length), each with the
 * mean gain of its examples shrunk towards the overall mean; a prompt's estimate is the mean over the
 * clusters weighted by a softmax of its similarity to their centroids. Deterministic: the centroids start
 * at evenly spaced examples.
 */
final class Clusters {

    private static final int ITERATIONS = 15;
    /** How many examples' worth of the overall mean each cluster's mean is shrunk with. */
    private static final double SHRINK = 5;

    private final int dimensions;
    private final float[] centroids;
    private final double[] gains;
    private final double[] gainSums;
    private final int[] counts;
    private final double overall;
    private final double temperature;

    private Clusters(int dimensions, float[] centroids, double[] gainSums, int[] counts, double overall,
            double temperature) {
        this.dimensions = dimensions;
        this.centroids = centroids;
        this.gainSums = gainSums;
        this.counts = counts;
        this.overall = overall;
        this.gains = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            gains[c] = (gainSums[c] + SHRINK * overall) / (counts[c] + SHRINK);
        }
        this.temperature = temperature;
    }

    static Clusters fit(float[] vectors, int dimensions, LabelledPrompt[] examples, int wanted, double temperature) {
        int n = examples.length;
        int k = Math.max(1, Math.min(wanted, n / 10));
        float[] centroids = new float[k * dimensions];
        for (int c = 0; c < k; c++) {
            System.arraycopy(vectors, (int) ((long) c * n / k) * dimensions, centroids, c * dimensions, dimensions);
        }
        int[] assigned = new int[n];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            for (int i = 0; i < n; i++) {
                assigned[i] = closest(centroids, k, dimensions, vectors, i * dimensions);
            }
            double[] sums = new double[k * dimensions];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[assigned[i]]++;
                int at = assigned[i] * dimensions;
                for (int d = 0; d < dimensions; d++) {
                    sums[at + d] += vectors[i * dimensions + d];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    continue; // an empty cluster keeps its centroid
                }
                double norm = 0;
                for (int d = 0; d < dimensions; d++) {
                    norm += sums[c * dimensions + d] * sums[c * dimensions + d];
                }
                norm = Math.sqrt(norm);
                for (int d = 0; d < dimensions; d++) {
                    centroids[c * dimensions + d] = (float) (norm == 0 ? 0 : sums[c * dimensions + d] / norm);
                }
            }
        }
        double overall = 0;
        for (LabelledPrompt e : examples) {
            overall += e.strongGain();
        }
        overall /= n;
        double[] gainSums = new double[k];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int c = closest(centroids, k, dimensions, vectors, i * dimensions);
            gainSums[c] += examples[i].strongGain();
            counts[c]++;
        }
        return new Clusters(dimensions, centroids, gainSums, counts, overall, temperature);
    }

    /** The estimated gain for an embedding. */
    double gain(float[] e) {
        return gain(e, 0, -1, 0);
    }

    /**
     * The estimate for a training example had its own label not counted in its cluster (inner validation).
     *
     * @param vectors the training vectors, {@code offset} where the example's starts
     */
    double gainWithout(float[] vectors, int offset, double label) {
        return gain(vectors, offset, closest(centroids, gains.length, dimensions, vectors, offset), label);
    }

    private double gain(float[] e, int offset, int without, double label) {
        int k = gains.length;
        double[] similarity = new double[k];
        double top = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            similarity[c] = dot(centroids, c * dimensions, e, offset, dimensions);
            top = Math.max(top, similarity[c]);
        }
        double weightSum = 0;
        double gain = 0;
        for (int c = 0; c < k; c++) {
            double w = Math.exp((similarity[c] - top) / temperature);
            weightSum += w;
            gain += w * (c == without
                    ? (gainSums[c] - label + SHRINK * overall) / (counts[c] - 1 + SHRINK) : gains[c]);
        }
        return gain / weightSum;
    }

    private static int closest(float[] centroids, int k, int dimensions, float[] vectors, int offset) {
        int best = 0;
        double bestSimilarity = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = dot(centroids, c * dimensions, vectors, offset, dimensions);
            if (s > bestSimilarity) {
                bestSimilarity = s;
                best = c;
            }
        }
        return best;
    }

    private static double dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        double s = 0;
        for (int d = 0; d < length; d++) {
            s += a[aOffset + d] * b[bOffset + d];
        }
        return s;
    }
}
