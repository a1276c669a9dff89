package dev.plugboard.bench.routing;

import dev.plugboard.bench.routing.LabelledSets.Item;
import dev.plugboard.router.learned.LearnedRouter.Part;
import dev.plugboard.router.learned.LearnedRouter.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Compares variants of the learned router on MMLU without tuning on the prompts it is judged on. MMLU is
 * split at random (seeded) into two halves: variants are compared by 5-fold cross-validation inside the
 * development half only, and the ones that looked better are checked once on the held-out half. Each
 * variant's parts are scored once and blended afterwards (the router's score is the mean of its parts,
 * so a blend of cross-validated parts is exactly the blended router's cross-validated score).
 *
 * <pre>bench/routing/run --variants dev|held-out|all</pre>
 */
final class VariantStudy {

    private static final long HALVES_SEED = 7L;
    private static final long FOLDS_SEED = 11L;
    private static final int HASHED_WORDS = 256;
    /** Each standardised surface feature enters the regression at this scale (embedding entries are about 0.05). */
    private static final double SURFACE_SCALE = 0.05;

    private VariantStudy() {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "dev";
        if (!Set.of("dev", "held-out", "all").contains(which)) {
            System.err.println("usage: bench/routing/run --variants dev|held-out|all");
            System.exit(2);
        }
        List<Item> all = LabelledSets.mmlu(Path.of("../shared/data/routing"));
        List<float[]> allVectors;
        try (Vectors vectors = new Vectors(Path.of("bench/routing/target/embeddings"))) {
            allVectors = vectors.embed("MMLU", all.stream().map(Item::prompt).toList());
        }
        int[] half = CrossValidation.randomFolds(all.size(), 2, HALVES_SEED);
        List<Item> items = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (which.equals("all") || half[i] == (which.equals("dev") ? 0 : 1)) {
                items.add(all.get(i));
                vectors.add(allVectors.get(i));
            }
        }
        int[] folds = CrossValidation.randomFolds(items.size(), 5, FOLDS_SEED);
        System.out.println("## Variants of the learned router, MMLU " + which + " (" + items.size()
                + " prompts, 5-fold cross-validation)");
        System.out.println();
        System.out.println("| variant | APGR | CPT(50%) | CPT(80%) | strong calls at 95% of strong quality |");
        System.out.println("|---|---:|---:|---:|---:|");
        Settings d = Settings.DEFAULT;
        Settings ridge = d.only(Part.REGRESSION);
        Map<String, double[]> parts = new LinkedHashMap<>();
        score(parts, "R: ridge on the embedding", items, CrossValidation.scores(items, vectors, folds, ridge));
        score(parts, "H: ridge on the embedding and surface features", items,
                CrossValidation.scores(items, withSurface(items, vectors, true, 0), folds, ridge));
        score(parts, "W: ridge on the embedding, surface features and hashed words", items,
                CrossValidation.scores(items, withSurface(items, vectors, true, HASHED_WORDS), folds, ridge));
        score(parts, "Wo: ridge on the embedding and hashed words", items,
                CrossValidation.scores(items, withSurface(items, vectors, false, HASHED_WORDS), folds, ridge));
        score(parts, "N: neighbours (k=100)", items, CrossValidation.scores(items, vectors, folds, d.only(Part.NEIGHBOURS)));
        List<Item> weakOnly = items.stream().map(i -> new Item(i.group(), i.prompt(), i.weakCorrect(), true,
                i.weakQuality(), i.strongQuality())).toList();
        score(parts, "Nw: neighbours, label \"the weak model fails\" instead of the gain", items,
                CrossValidation.scores(weakOnly, vectors, folds, d.only(Part.NEIGHBOURS)));
        score(parts, "C: clusters", items, CrossValidation.scores(items, vectors, folds, d.only(Part.CLUSTERS)));
        blend(parts, items, "mean(R, N, C): the default", false, "R", "N", "C");
        blend(parts, items, "mean of standardised R, N, C", true, "R", "N", "C");
        report("mean rank of R, N, C", items, rank(parts, "R", "N", "C"));
        blend(parts, items, "mean(H, N, C)", false, "H", "N", "C");
        blend(parts, items, "mean(W, N, C)", false, "W", "N", "C");
        blend(parts, items, "mean of standardised W, N, C", true, "W", "N", "C");
        blend(parts, items, "mean(Wo, N, C)", false, "Wo", "N", "C");
        blend(parts, items, "mean of standardised Wo, N, C", true, "Wo", "N", "C");
    }

    /** The vectors with standardised surface features and hashed words appended (the ridge part sees them). */
    static List<float[]> withSurface(List<Item> items, List<float[]> vectors, boolean surface, int hashed) {
        List<double[]> hand = items.stream().map(i -> SurfaceFeatures.hand(i.prompt())).toList();
        int h = surface ? hand.getFirst().length : 0;
        double[] mean = new double[h];
        double[] variance = new double[h];
        for (double[] f : hand) {
            for (int j = 0; j < h; j++) {
                mean[j] += f[j] / hand.size();
            }
        }
        for (double[] f : hand) {
            for (int j = 0; j < h; j++) {
                variance[j] += (f[j] - mean[j]) * (f[j] - mean[j]) / hand.size();
            }
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            float[] v = vectors.get(i);
            float[] a = Arrays.copyOf(v, v.length + h + hashed);
            for (int j = 0; j < h; j++) {
                a[v.length + j] = (float) (SURFACE_SCALE * (hand.get(i)[j] - mean[j]) / Math.sqrt(variance[j] + 1e-12));
            }
            if (hashed > 0) {
                System.arraycopy(SurfaceFeatures.hashedWords(items.get(i).prompt(), hashed), 0, a, v.length + h, hashed);
            }
            out.add(a);
        }
        return out;
    }

    private static void score(Map<String, double[]> parts, String name, List<Item> items, double[] scores) {
        parts.put(name.substring(0, name.indexOf(':')), scores);
        report(name, items, scores);
    }

    private static void blend(Map<String, double[]> parts, List<Item> items, String name, boolean standardise,
            String... names) {
        double[] out = new double[items.size()];
        for (String n : names) {
            double[] s = parts.get(n);
            double m = Arrays.stream(s).average().orElse(0);
            double sd = standardise ? Math.sqrt(Arrays.stream(s).map(x -> (x - m) * (x - m)).average().orElse(1)) : 1;
            for (int i = 0; i < s.length; i++) {
                out[i] += standardise ? (s[i] - m) / sd : s[i];
            }
        }
        report(name, items, out);
    }

    private static double[] rank(Map<String, double[]> parts, String... names) {
        double[] out = new double[parts.get(names[0]).length];
        for (String n : names) {
            double[] s = parts.get(n);
            Integer[] order = IntStream.range(0, s.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
            for (int r = 0; r < order.length; r++) {
                out[order[r]] += r;
            }
        }
        return out;
    }

    private static void report(String name, List<Item> items, double[] s) {
        List<QualityCurve.Scored> scored = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            scored.add(new QualityCurve.Scored(s[i], items.get(i).weakQuality(), items.get(i).strongQuality()));
        }
        QualityCurve c = QualityCurve.of(scored);
        System.out.printf("| %s | %.3f | %.1f%% | %.1f%% | %.1f%% |%n", name, c.apgr(), 100 * c.callsForGap(0.5),
                100 * c.callsForGap(0.8), 100 * c.callsFor95());
        System.out.flush();
    }
}
