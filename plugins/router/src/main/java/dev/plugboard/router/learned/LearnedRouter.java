package dev.plugboard.router.learned;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A two-model router learned from labelled history over local sentence embeddings and the prompts'
 * wording. For a prompt it estimates what calling the strong model instead of the weak one gains (the
 * expected difference of their correctness) as the mean of some of these estimates:
 * <ul>
 *   <li>{@link Part#REGRESSION}: a ridge regression of the gain on the embedding;</li>
 *   <li>{@link Part#NEIGHBOURS}: the mean gain of the nearest labelled examples, weighted by a softmax
 *       over their cosine similarity (these examples also explain the decision);</li>
 *   <li>{@link Part#CLUSTERS}: the mean gain of the region of meaning the prompt falls in (k-means
 *       clusters of the history, shrunk towards the overall mean, softly assigned), which learns what a
 *       subject-level prior would without needing any subject label;</li>
 *   <li>{@link Part#WORDS}: a ridge regression of the gain on the prompt's words and word pairs
 *       (TF-IDF), which sees the phrasing a sentence embedding blurs;</li>
 *   <li>{@link Part#OPTIONS}: a ridge regression of the gain on how much the answer options a prompt
 *       lists overlap (options that share most of their words ask for a finer distinction).</li>
 * </ul>
 * The default for a large history averages the neighbours, the clusters, the words and the options; for
 * a small one, the regression, the neighbours and the clusters, as chosen below.
 * With {@link Settings#choose()} (the default below {@link Settings#CHOOSE_BELOW} examples), how many neighbours vote, how sharply their similarity
 * weighs, and which parts are averaged are chosen on the history itself, by leave-one-out over a sample
 * of it (the regression's left-out estimates in closed form, the clusters' with the example's own label
 * taken out of its cluster, the words' from a fit without the example's fold): a history of a few dozen
 * examples gets few, equally weighted neighbours, a large one the full blend.
 * At scoring time the router uses the prompt's embedding and, with {@link Part#WORDS} or
 * {@link Part#OPTIONS}, its text. A prompt goes to the strong model when its score reaches a threshold,
 * calibrated so that a target share of the history would have gone there.
 * Immutable and thread-safe once trained.
 */
public final class LearnedRouter {

    /** The estimates a router averages. */
    public enum Part {
        /** Ridge regression of the gain on the embedding. */
        REGRESSION,
        /** Similarity-weighted nearest labelled examples. */
        NEIGHBOURS,
        /** Soft-assigned k-means clusters of the history. */
        CLUSTERS,
        /** Ridge regression of the gain on the prompt's words and word pairs (needs a large history). */
        WORDS,
        /** Ridge regression of the gain on the word overlap of the answer options the prompt lists. */
        OPTIONS
    }

    /**
     * How the router is trained.
     *
     * @param parts the estimates averaged (at least one)
     * @param neighbours how many nearest labelled examples vote ({@code k})
     * @param temperature the softmax temperature over the neighbours' cosine similarities (smaller: the
     *        closest ones count more)
     * @param ridge the L2 penalty of the regression, per example
     * @param clusters how many k-means clusters (fewer when the history is smaller)
     * @param clusterTemperature the softmax temperature of the soft assignment to clusters
     * @param choose whether {@code neighbours}, {@code temperature} and the parts are only the largest
     *        candidates, the actual ones chosen by leave-one-out on the training history (see the class)
     */
    public record Settings(Set<Part> parts, int neighbours, double temperature, double ridge, int clusters,
            double clusterTemperature, boolean choose) {

        /**
         * The settings chosen on MMLU by cross-validation (bench/routing): fixed, for a large history. Without
         * the regression on the embedding, which adds nothing once the words are in.
         */
        public static final Settings DEFAULT = new Settings(EnumSet.of(Part.NEIGHBOURS, Part.CLUSTERS, Part.WORDS,
                Part.OPTIONS), 100,
                0.2, 0.005, 128, 0.05, false);

        /**
         * The candidates' upper bound for a small history: the regression, the neighbours and the clusters (a
         * few hundred prompts hold too few repeated words and word pairs for {@link Part#WORDS}).
         */
        public static final Settings SMALL_HISTORY = DEFAULT.only(Part.REGRESSION, Part.NEIGHBOURS, Part.CLUSTERS)
                .chosen(true);

        /**
         * Below this many examples the default settings are chosen on the history: k=100 and the full
         * blend suit MMLU's 11,000 training prompts (where choosing cost 0.008 APGR) and not a few dozen
         * (where choosing raised MT-Bench's from below to above the reference kNN's).
         */
        public static final int CHOOSE_BELOW = 1000;

        /**
         * The default settings for a history of this size: {@link #DEFAULT}, or {@link #SMALL_HISTORY} (chosen
         * on it) below {@link #CHOOSE_BELOW} examples.
         */
        public static Settings forHistory(int size) {
            return size < CHOOSE_BELOW ? SMALL_HISTORY : DEFAULT;
        }

        /** Fixed settings: nothing chosen on the history. */
        public Settings(Set<Part> parts, int neighbours, double temperature, double ridge, int clusters,
                double clusterTemperature) {
            this(parts, neighbours, temperature, ridge, clusters, clusterTemperature, false);
        }

        public Settings {
            parts = parts.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(parts));
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("a router needs at least one part");
            }
            if (neighbours < 1) {
                throw new IllegalArgumentException("neighbours must be at least 1, got " + neighbours);
            }
            if (!(temperature > 0) || !(clusterTemperature > 0)) {
                throw new IllegalArgumentException("temperatures must be positive, got " + temperature + " and "
                        + clusterTemperature);
            }
            if (!(ridge >= 0)) {
                throw new IllegalArgumentException("ridge must be zero or positive, got " + ridge);
            }
            if (clusters < 1) {
                throw new IllegalArgumentException("clusters must be at least 1, got " + clusters);
            }
        }

        /** These settings with only the given parts. */
        public Settings only(Part... kept) {
            return new Settings(EnumSet.copyOf(List.of(kept)), neighbours, temperature, ridge, clusters, clusterTemperature,
                    choose);
        }

        /** These settings, fixed ({@code choose} false) or chosen per history. */
        public Settings chosen(boolean byHistory) {
            return new Settings(parts, neighbours, temperature, ridge, clusters, clusterTemperature, byHistory);
        }
    }

    /** A labelled example near a prompt, with its cosine similarity to it. */
    public record Neighbour(LabelledPrompt example, double similarity) {}

    /**
     * A calibrated threshold: prompts whose {@link #strongScore} is at least {@code score} go to the strong model.
     *
     * @param score the threshold on the strong score
     * @param strongShare the share of the training history at or above it
     */
    public record Threshold(double score, double strongShare) {

        /** Whether a prompt with this strong score goes to the strong model. */
        public boolean strong(double strongScore) {
            return strongScore >= score;
        }
    }

    /** At most this many training examples are scored (left out one at a time) to calibrate thresholds. */
    private static final int CALIBRATION_SAMPLE = 2000;

    private final Settings settings;
    private final int dimensions;
    private final LabelledPrompt[] examples;
    /** The examples' vectors, one after the other. */
    private final float[] vectors;
    /** The regression's weights, the last one the intercept. */
    private final double[] weights;
    private final Clusters clusters;
    private final Words words;
    private final Options options;
    /** What scoring uses: the settings' values, or those chosen on the history. */
    private final Choice choice;
    private volatile double[] calibrationScores;

    /**
     * The neighbours' count and temperature and the parts a router scores with.
     *
     * @param neighbours how many nearest examples vote
     * @param temperature the softmax temperature over their similarities ({@code +Infinity}: equal votes)
     * @param parts the parts averaged
     */
    public record Choice(int neighbours, double temperature, Set<Part> parts) {
    }

    private LearnedRouter(Settings settings, int dimensions, LabelledPrompt[] examples, float[] vectors, double[] weights,
            Clusters clusters, Words words, Options options, Choice choice) {
        this.settings = settings;
        this.dimensions = dimensions;
        this.examples = examples;
        this.vectors = vectors;
        this.weights = weights;
        this.clusters = clusters;
        this.words = words;
        this.options = options;
        this.choice = choice;
    }

    /** Trains with the {@link Settings#forHistory default settings for its size}. */
    public static LearnedRouter train(List<LabelledPrompt> examples, Embedder embedder) {
        return train(examples, embedder, Settings.forHistory(examples.size()));
    }

    /**
     * Embeds every example's prompt and fits the router.
     *
     * @throws IllegalArgumentException if there are no examples or the embedder's vectors differ in length
     */
    public static LearnedRouter train(List<LabelledPrompt> examples, Embedder embedder, Settings settings) {
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(settings, "settings");
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("a router needs at least one labelled example");
        }
        LabelledPrompt[] kept = examples.toArray(LabelledPrompt[]::new);
        List<float[]> embedded = embedder.embedAll(examples.stream().map(LabelledPrompt::prompt).toList());
        if (embedded.size() != kept.length) {
            throw new IllegalArgumentException("the embedder returned " + embedded.size() + " vectors for "
                    + kept.length + " prompts");
        }
        int dimensions = embedded.getFirst().length;
        float[] vectors = new float[kept.length * dimensions];
        for (int i = 0; i < kept.length; i++) {
            float[] v = embedded.get(i);
            if (v.length != dimensions) {
                throw new IllegalArgumentException("the embedder returned vectors of " + dimensions + " and of "
                        + v.length + " dimensions");
            }
            System.arraycopy(v, 0, vectors, i * dimensions, dimensions);
        }
        Ridge.Fit ridge = settings.parts().contains(Part.REGRESSION)
                ? Ridge.fit(vectors, dimensions, kept, settings.ridge() * kept.length) : null;
        Clusters clusters = settings.parts().contains(Part.CLUSTERS)
                ? Clusters.fit(vectors, dimensions, kept, settings.clusters(), settings.clusterTemperature()) : null;
        Words words = settings.parts().contains(Part.WORDS) ? Words.fit(kept) : null;
        Options options = settings.parts().contains(Part.OPTIONS) ? Options.fit(kept) : null;
        Choice fixed = new Choice(Math.min(settings.neighbours(), kept.length), settings.temperature(), settings.parts());
        Choice choice = settings.choose()
                ? InnerValidation.choose(vectors, dimensions, kept, ridge, clusters, words, options, settings) : fixed;
        return new LearnedRouter(settings, dimensions, kept, vectors, ridge == null ? null : ridge.weights(), clusters,
                words, options, choice);
    }

    /** The neighbours' count and temperature and the parts this router scores with. */
    public Choice choice() {
        return choice;
    }

    /** How many labelled examples the router was trained on. */
    public int size() {
        return examples.length;
    }

    /** The settings it was trained with. */
    public Settings settings() {
        return settings;
    }

    /**
     * The estimated gain of calling the strong model for a prompt: higher means the strong model is more
     * likely needed. Roughly within -1..1.
     *
     * @param prompt the prompt (read by {@link Part#WORDS} and {@link Part#OPTIONS} only)
     * @param embedding its embedding, by the embedder the router was trained with
     * @throws IllegalArgumentException if the vector's length is not the training vectors' length
     */
    public double strongScore(String prompt, float[] embedding) {
        Objects.requireNonNull(prompt, "prompt");
        checkLength(embedding);
        return score(prompt, embedding, -1);
    }

    /**
     * The threshold at which {@code targetStrongShare} of the training history would go to the strong
     * model (its scores computed with each example left out of its own neighbours).
     *
     * @param targetStrongShare 0..1
     */
    public Threshold calibrate(double targetStrongShare) {
        if (!(targetStrongShare >= 0 && targetStrongShare <= 1)) {
            throw new IllegalArgumentException("targetStrongShare must be within 0..1, got " + targetStrongShare);
        }
        double[] sorted = calibrationScores();
        int strong = (int) Math.round(targetStrongShare * sorted.length);
        if (strong == 0) {
            return new Threshold(Double.POSITIVE_INFINITY, 0);
        }
        // the strong ones are the highest `strong` scores; ties at the threshold all go strong
        double score = sorted[sorted.length - strong];
        int atOrAbove = sorted.length - lowerBound(sorted, score);
        return new Threshold(score, (double) atOrAbove / sorted.length);
    }

    /**
     * The {@code k} labelled examples nearest to this embedding, nearest first: the explanation of a decision.
     */
    public List<Neighbour> nearest(float[] embedding, int k) {
        checkLength(embedding);
        if (k < 0) {
            throw new IllegalArgumentException("k must be zero or positive, got " + k);
        }
        int[] index = new int[Math.min(k, examples.length)];
        double[] similarity = new double[index.length];
        int found = nearest(embedding, -1, index, similarity);
        List<Neighbour> out = new ArrayList<>(found);
        for (int i = 0; i < found; i++) {
            out.add(new Neighbour(examples[index[i]], similarity[i]));
        }
        return out;
    }

    /** The score; for a training example ({@code leftOut} at least 0), without that example's own label. */
    private double score(String prompt, float[] e, int leftOut) {
        double sum = 0;
        Set<Part> parts = choice.parts();
        if (parts.contains(Part.REGRESSION)) {
            double regression = weights[dimensions];
            for (int d = 0; d < dimensions; d++) {
                regression += weights[d] * e[d];
            }
            sum += regression;
        }
        if (parts.contains(Part.NEIGHBOURS)) {
            sum += neighbourGain(e, leftOut);
        }
        if (parts.contains(Part.CLUSTERS)) {
            sum += clusters.gain(e);
        }
        if (parts.contains(Part.WORDS)) {
            sum += leftOut >= 0 ? words.crossFitted(leftOut) : words.estimate(prompt);
        }
        if (parts.contains(Part.OPTIONS)) {
            sum += options.estimate(prompt);
        }
        return sum / parts.size();
    }

    private double neighbourGain(float[] e, int leftOut) {
        int[] index = new int[Math.min(choice.neighbours(), examples.length)];
        double[] similarity = new double[index.length];
        int found = nearest(e, leftOut, index, similarity);
        if (found == 0) {
            return 0;
        }
        return InnerValidation.vote(examples, index, similarity, found, choice.temperature());
    }

    /** Fills the nearest examples (except {@code leftOut}), nearest first; returns how many were found. */
    private int nearest(float[] e, int leftOut, int[] index, double[] similarity) {
        int k = index.length;
        int found = 0;
        for (int i = 0; i < examples.length; i++) {
            if (i == leftOut) {
                continue;
            }
            double s = dot(e, i * dimensions);
            if (found == k && (k == 0 || s <= similarity[k - 1])) {
                continue;
            }
            int at = found < k ? found++ : k - 1;
            while (at > 0 && similarity[at - 1] < s) {
                similarity[at] = similarity[at - 1];
                index[at] = index[at - 1];
                at--;
            }
            similarity[at] = s;
            index[at] = i;
        }
        return found;
    }

    private double dot(float[] e, int offset) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int d = 0;
        for (; d + 3 < dimensions; d += 4) {
            s0 += e[d] * vectors[offset + d];
            s1 += e[d + 1] * vectors[offset + d + 1];
            s2 += e[d + 2] * vectors[offset + d + 2];
            s3 += e[d + 3] * vectors[offset + d + 3];
        }
        for (; d < dimensions; d++) {
            s0 += e[d] * vectors[offset + d];
        }
        return (double) s0 + s1 + s2 + s3;
    }

    private double[] calibrationScores() {
        double[] scores = calibrationScores;
        if (scores == null) {
            int n = Math.min(CALIBRATION_SAMPLE, examples.length);
            scores = new double[n];
            float[] e = new float[dimensions];
            for (int j = 0; j < n; j++) {
                int i = (int) ((long) j * examples.length / n); // evenly spread over the history
                System.arraycopy(vectors, i * dimensions, e, 0, dimensions);
                scores[j] = score(examples[i].prompt(), e, i);
            }
            Arrays.sort(scores);
            calibrationScores = scores;
        }
        return scores;
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void checkLength(float[] embedding) {
        if (embedding.length != dimensions) {
            throw new IllegalArgumentException("the router was trained on vectors of " + dimensions
                    + " dimensions, got " + embedding.length);
        }
    }
}
