package dev.plugboard.router.learned;

/** Ridge regression of the strong model's gain on the embedding, solved in closed form. */
final class Ridge {

    /**
     * A fitted regression.
     *
     * @param weights one per dimension, then the intercept
     * @param factor the Cholesky factor (lower, row-major) of the penalised normal matrix
     */
    record Fit(double[] weights, double[] factor) {

        /** The estimate for a vector (of the fitted length). */
        double estimate(float[] vectors, int offset, int dimensions) {
            double s = weights[dimensions];
            for (int d = 0; d < dimensions; d++) {
                s += weights[d] * vectors[offset + d];
            }
            return s;
        }

        /**
         * The estimate a fit without this training example would have given it (exact for a fixed penalty:
         * the residual divided by one minus the example's leverage).
         */
        double leftOutEstimate(float[] vectors, int offset, int dimensions, double label) {
            int p = dimensions + 1;
            double[] z = new double[p]; // z = L^-1 x, so the leverage x^T A^-1 x is |z|^2
            double leverage = 0;
            for (int i = 0; i < p; i++) {
                double sum = i < dimensions ? vectors[offset + i] : 1;
                for (int k = 0; k < i; k++) {
                    sum -= factor[i * p + k] * z[k];
                }
                z[i] = sum / factor[i * p + i];
                leverage += z[i] * z[i];
            }
            double fitted = estimate(vectors, offset, dimensions);
            return label - (label - fitted) / Math.max(1 - leverage, 1e-6);
        }
    }

    private Ridge() {}

    /**
     * The weights (one per dimension, then the intercept) minimising squared error plus
     * {@code penalty} times the squared weights (the intercept is not penalised).
     */
    static Fit fit(float[] vectors, int dimensions, LabelledPrompt[] examples, double penalty) {
        int p = dimensions + 1;
        double[] a = new double[p * p];
        double[] b = new double[p];
        double[] x = new double[p];
        for (int i = 0; i < examples.length; i++) {
            for (int d = 0; d < dimensions; d++) {
                x[d] = vectors[i * dimensions + d];
            }
            x[dimensions] = 1;
            double y = examples[i].strongGain();
            for (int r = 0; r < p; r++) {
                double xr = x[r];
                b[r] += xr * y;
                int row = r * p;
                for (int c = 0; c <= r; c++) {
                    a[row + c] += xr * x[c];
                }
            }
        }
        for (int r = 0; r < p; r++) {
            for (int c = r + 1; c < p; c++) {
                a[r * p + c] = a[c * p + r];
            }
        }
        for (int d = 0; d < dimensions; d++) {
            a[d * p + d] += penalty;
        }
        a[dimensions * p + dimensions] += 1e-9; // keeps a single example solvable
        double[] l = Cholesky.factor(a, p);
        return new Fit(Cholesky.solve(l, b, p), l);
    }

    /** Solves a symmetric positive-definite system. */
    static final class Cholesky {
        private Cholesky() {}

        /** The lower factor {@code L} (row-major) with {@code L L^T = a}. */
        static double[] factor(double[] a, int n) {
            double[] l = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double sum = a[i * n + j];
                    for (int k = 0; k < j; k++) {
                        sum -= l[i * n + k] * l[j * n + k];
                    }
                    if (i == j) {
                        l[i * n + i] = Math.sqrt(Math.max(sum, 1e-12));
                    } else {
                        l[i * n + j] = sum / l[j * n + j];
                    }
                }
            }
            return l;
        }

        /** Solves {@code L L^T x = b} for a factor of {@link #factor}. */
        static double[] solve(double[] l, double[] b, int n) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double sum = b[i];
                for (int k = 0; k < i; k++) {
                    sum -= l[i * n + k] * y[k];
                }
                y[i] = sum / l[i * n + i];
            }
            double[] out = new double[n];
            for (int i = n - 1; i >= 0; i--) {
                double sum = y[i];
                for (int k = i + 1; k < n; k++) {
                    sum -= l[k * n + i] * out[k];
                }
                out[i] = sum / l[i * n + i];
            }
            return out;
        }
    }
}
