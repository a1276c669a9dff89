package dev.plugboard.router.learned;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ridge regression of the strong model's gain on a prompt's words and adjacent word pairs, TF-IDF
 * weighted: what the wording itself says about difficulty ("EXCEPT", "Statement 1 |", "calculate the"),
 * which one sentence embedding blurs. Only terms found in at least {@link #MIN_DOCUMENTS} prompts of the
 * history are used. The regression is solved by conjugate gradients over the sparse term vectors.
 *
 * <p>Fitted values on the training history itself are overfitted, so for calibration and for choosing
 * settings each example has a cross-fitted estimate: from a fit on the other {@link #FOLDS}-1 folds.
 */
final class Words {

    /** The L2 penalty on the weights (absolute; chosen by cross-validation on MMLU's 11,000 prompts). */
    static final double PENALTY = 10;
    /** A term counts only when at least this many history prompts contain it. */
    static final int MIN_DOCUMENTS = 3;
    /** Folds of the cross-fitted estimates. */
    static final int FOLDS = 5;
    private static final int MAX_ITERATIONS = 500;
    private static final double TOLERANCE = 1e-6;

    private final Map<String, Integer> vocabulary;
    private final double[] idf;
    private final double[] weights;
    private final double intercept;
    private final double[] crossFitted;

    private Words(Map<String, Integer> vocabulary, double[] idf, double[] weights, double intercept,
            double[] crossFitted) {
        this.vocabulary = vocabulary;
        this.idf = idf;
        this.weights = weights;
        this.intercept = intercept;
        this.crossFitted = crossFitted;
    }

    /** A document as sparse term weights, unit length. */
    private record Sparse(int[] terms, double[] values) {
    }

    static Words fit(LabelledPrompt[] examples) {
        int n = examples.length;
        List<List<String>> terms = new ArrayList<>(n);
        Map<String, Integer> documents = new HashMap<>();
        for (LabelledPrompt e : examples) {
            List<String> t = terms(e.prompt());
            terms.add(t);
            t.stream().distinct().forEach(term -> documents.merge(term, 1, Integer::sum));
        }
        Map<String, Integer> vocabulary = new HashMap<>();
        List<Double> idfs = new ArrayList<>();
        documents.forEach((term, df) -> {
            if (df >= MIN_DOCUMENTS) {
                vocabulary.put(term, vocabulary.size());
                idfs.add(Math.log((1.0 + n) / (1.0 + df)) + 1);
            }
        });
        double[] idf = idfs.stream().mapToDouble(Double::doubleValue).toArray();
        Sparse[] rows = new Sparse[n];
        double[] gain = new double[n];
        for (int i = 0; i < n; i++) {
            rows[i] = vector(terms.get(i), vocabulary, idf);
            gain[i] = examples[i].strongGain();
        }
        boolean[] all = new boolean[n];
        Arrays.fill(all, true);
        double intercept = mean(gain, all);
        double[] crossFitted = new double[n];
        if (n < FOLDS) {
            Arrays.fill(crossFitted, intercept); // too few to leave a fold out
        }
        for (int f = 0; f < FOLDS && n >= FOLDS; f++) {
            boolean[] training = new boolean[n];
            for (int i = 0; i < n; i++) {
                training[i] = i % FOLDS != f;
            }
            double[] fold = solve(rows, gain, training, idf.length);
            double foldIntercept = mean(gain, training);
            for (int i = f; i < n; i += FOLDS) {
                crossFitted[i] = foldIntercept + dot(rows[i], fold);
            }
        }
        return new Words(vocabulary, idf, solve(rows, gain, all, idf.length), intercept, crossFitted);
    }

    /** The estimated gain for a prompt. */
    double estimate(String prompt) {
        return intercept + dot(vector(terms(prompt), vocabulary, idf), weights);
    }

    /** The estimate for training example {@code i} from the fit that did not see its fold. */
    double crossFitted(int i) {
        return crossFitted[i];
    }

    /** How many terms the regression weighs. */
    int vocabularySize() {
        return idf.length;
    }

    /**
     * Lower-cased words (runs of letters), numbers (runs of digits) and every other non-space character
     * alone, followed by each adjacent pair of them.
     */
    static List<String> terms(String text) {
        List<String> tokens = tokens(text);
        List<String> out = new ArrayList<>(tokens.size() * 2);
        out.addAll(tokens);
        for (int t = 1; t < tokens.size(); t++) {
            out.add(tokens.get(t - 1) + ' ' + tokens.get(t));
        }
        return out;
    }

    /** Lower-cased words (runs of letters), numbers (runs of digits) and every other non-space character alone. */
    static List<String> tokens(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            int end = i + Character.charCount(c);
            if (Character.isLetter(c) || Character.isDigit(c)) {
                boolean letter = Character.isLetter(c);
                while (end < s.length()) {
                    int next = s.codePointAt(end);
                    if (letter ? !Character.isLetter(next) : !Character.isDigit(next)) {
                        break;
                    }
                    end += Character.charCount(next);
                }
            }
            if (!Character.isWhitespace(c)) {
                tokens.add(s.substring(i, end));
            }
            i = end;
        }
        return tokens;
    }

    private static Sparse vector(List<String> terms, Map<String, Integer> vocabulary, double[] idf) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (String t : terms) {
            Integer id = vocabulary.get(t);
            if (id != null) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        int[] ids = new int[counts.size()];
        double[] values = new double[counts.size()];
        int k = 0;
        double norm = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            ids[k] = e.getKey();
            values[k] = (1 + Math.log(e.getValue())) * idf[e.getKey()];
            norm += values[k] * values[k];
            k++;
        }
        if (norm > 0) {
            double scale = 1 / Math.sqrt(norm);
            for (int j = 0; j < values.length; j++) {
                values[j] *= scale;
            }
        }
        return new Sparse(ids, values);
    }

    /**
     * The weights minimising the squared error of the centred gain over the rows used plus
     * {@link #PENALTY} times their squared norm: {@code (X^T X + penalty I) w = X^T (y - mean)} by
     * conjugate gradients.
     */
    private static double[] solve(Sparse[] rows, double[] gain, boolean[] used, int terms) {
        double mean = mean(gain, used);
        double[] b = new double[terms];
        for (int i = 0; i < rows.length; i++) {
            if (used[i]) {
                addScaled(rows[i], gain[i] - mean, b);
            }
        }
        double[] w = new double[terms];
        double[] r = b.clone();
        double[] p = r.clone();
        double rr = dot(r, r);
        double stop = TOLERANCE * TOLERANCE * Math.max(rr, Double.MIN_NORMAL);
        for (int iteration = 0; iteration < MAX_ITERATIONS && rr > stop; iteration++) {
            double[] ap = new double[terms];
            for (int i = 0; i < rows.length; i++) {
                if (used[i]) {
                    addScaled(rows[i], dot(rows[i], p), ap);
                }
            }
            for (int j = 0; j < terms; j++) {
                ap[j] += PENALTY * p[j];
            }
            double alpha = rr / dot(p, ap);
            for (int j = 0; j < terms; j++) {
                w[j] += alpha * p[j];
                r[j] -= alpha * ap[j];
            }
            double next = dot(r, r);
            double beta = next / rr;
            for (int j = 0; j < terms; j++) {
                p[j] = r[j] + beta * p[j];
            }
            rr = next;
        }
        return w;
    }

    private static double mean(double[] values, boolean[] used) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (used[i]) {
                sum += values[i];
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    private static void addScaled(Sparse row, double scale, double[] into) {
        for (int k = 0; k < row.terms().length; k++) {
            into[row.terms()[k]] += scale * row.values()[k];
        }
    }

    private static double dot(Sparse row, double[] dense) {
        double s = 0;
        for (int k = 0; k < row.terms().length; k++) {
            s += row.values()[k] * dense[row.terms()[k]];
        }
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
