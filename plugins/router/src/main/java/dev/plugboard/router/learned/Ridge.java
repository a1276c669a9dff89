package dev.plugboard.router.learned;

/** Ridge regression of the strong model's gain on the embedding, solved in closed form. */
final class Ridge {

    private Ridge() {}

    /**
     * The weights (one per dimension, then the intercept) minimising squared error plus
     * {@code penalty} times the squared weights (the intercept is not penalised).
     */
    static double[] fit(float[] vectors, int dimensions, LabelledPrompt[] examples, double penalty) {
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
        return Cholesky.solve(a, b, p);
    }

    /** Solves a symmetric positive-definite system. */
    static final class Cholesky {
        private Cholesky() {}

        static double[] solve(double[] a, double[] b, int n) {
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
