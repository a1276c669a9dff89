package dev.plugboard.bench.routing;

import dev.plugboard.bench.routing.LabelledSets.Item;
import dev.plugboard.router.learned.LearnedRouter.Part;
import dev.plugboard.router.learned.LearnedRouter.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import dev.plugboard.router.learned.LearnedRouter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Scores the learned router offline on the labelled routing data, beside the random router, the
 * reference k-nearest-neighbours router and the oracle. Entry point of {@code bench/routing/run}
 * (see bench/routing/README.md).
 */
public final class RoutingQuality {

    /** The reference router of the data's README: the plain mean over the 10 nearest examples. */
    static final Settings REFERENCE_KNN = new Settings(java.util.Set.of(Part.NEIGHBOURS), 10, 1e9, 0, 1, 1);
    private static final long SEED = 20261206L;
    private static final int FOLDS = 5;

    private final StringBuilder report = new StringBuilder();
    private String latencyReport = "";
    /** Keeps the timed decisions' results alive. */
    private double sink;

    private RoutingQuality() {}

    public static void main(String[] args) throws Exception {
        Path routing = Path.of("../shared/data/routing");
        Path out = null;
        java.util.Set<String> only = java.util.Set.of("mmlu", "mtbench", "cache", "latency");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> routing = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = java.util.Set.of(args[++i].split(","));
                default -> {
                    System.err.println("usage: bench/routing/run [--data ../shared/data/routing] [--out FILE.md] [--only mmlu,mtbench,cache,latency]");
                    System.exit(2);
                }
            }
        }
        LabelledSets.requireFolder(routing);
        new RoutingQuality().run(routing, out, only);
    }

    private void run(Path routing, Path out, java.util.Set<String> only) throws IOException {
        List<Item> mmlu = LabelledSets.mmlu(routing);
        List<Item> mtBench = LabelledSets.mtBench(routing, LabelledSets.WEAK_MMLU, LabelledSets.STRONG_MMLU);
        List<float[]> mmluVectors;
        List<float[]> mtVectors;
        List<SemanticCacheBench.Pair> pairs = SemanticCacheBench.pairs(mmlu);
        List<float[][]> pairVectors = new ArrayList<>();
        try (Vectors vectors = new Vectors(Path.of("bench/routing/target/embeddings"))) {
            mmluVectors = vectors.embed("MMLU", mmlu.stream().map(Item::prompt).toList());
            mtVectors = vectors.embed("MT-Bench", mtBench.stream().map(Item::prompt).toList());
            List<String> texts = new ArrayList<>();
            (only.contains("cache") ? pairs : List.<SemanticCacheBench.Pair>of()).forEach(p -> {
                texts.add(p.first());
                texts.add(p.second());
            });
            List<float[]> v = vectors.embed("semantic-cache pairs", texts);
            for (int i = 0; i < v.size() / 2; i++) {
                pairVectors.add(new float[][] {v.get(2 * i), v.get(2 * i + 1)});
            }
            if (only.contains("latency")) {
                latencyReport = latency(mmlu, mmluVectors, vectors);
            }
        }
        line("# Routing quality and semantic cache (" + LocalDate.now() + ")");
        line("");
        line("Produced by `bench/routing/run` (" + Vectors.MODEL + " embeddings computed by the host's own "
                + "embedding service, no remote API). Figures as RouteLLM scores routers: APGR, CPT(50%), CPT(80%), "
                + "and the strong-call share at 95% of the strong model's quality.");
        line("");

        if (only.contains("mmlu")) {
            mmlu(mmlu, mmluVectors);
        }
        if (only.contains("mtbench")) {
            mtBench(mmlu, mmluVectors, mtBench, mtVectors);
        }
        if (only.contains("cache")) {
            new SemanticCacheBench(report).run(pairs, pairVectors);
        }
        report.append(latencyReport);

        System.out.print(report);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
            System.err.println("wrote " + out);
        }
    }

    private void mmlu(List<Item> mmlu, List<float[]> mmluVectors) {
        int[] random = CrossValidation.randomFolds(mmlu.size(), FOLDS, SEED);
        int[] grouped = CrossValidation.groupedFolds(mmlu, FOLDS, SEED);
        line("## MMLU (" + mmlu.size() + " prompts, contaminated ones dropped), " + FOLDS + "-fold cross-validation");
        line("");
        header();
        row("random (seeded)", mmlu, () -> randomScores(mmlu.size()));
        row("reference kNN, k=10, random folds", mmlu, () -> CrossValidation.scores(mmlu, mmluVectors, random, REFERENCE_KNN));
        Settings d = Settings.DEFAULT;
        row("learned, regression only, random folds", mmlu, () -> CrossValidation.scores(mmlu, mmluVectors, random, d.only(Part.REGRESSION)));
        row("learned, neighbours only (k=" + d.neighbours() + "), random folds", mmlu,
                () -> CrossValidation.scores(mmlu, mmluVectors, random, d.only(Part.NEIGHBOURS)));
        row("learned, clusters only, random folds", mmlu, () -> CrossValidation.scores(mmlu, mmluVectors, random, d.only(Part.CLUSTERS)));
        row("learned, words only, random folds", mmlu, () -> CrossValidation.scores(mmlu, mmluVectors, random, d.only(Part.WORDS)));
        row("learned, options only, random folds", mmlu, () -> CrossValidation.scores(mmlu, mmluVectors, random, d.only(Part.OPTIONS)));
        row("learned, regression, neighbours and clusters (the default before the words), random folds", mmlu,
                () -> CrossValidation.scores(mmlu, mmluVectors, random, d.only(Part.REGRESSION, Part.NEIGHBOURS, Part.CLUSTERS)));
        row("learned, neighbours, clusters and words (the default before the options), random folds", mmlu,
                () -> CrossValidation.scores(mmlu, mmluVectors, random, d.only(Part.NEIGHBOURS, Part.CLUSTERS, Part.WORDS)));
        row("**learned (default for a large history: k=100 neighbours, clusters, words and options), random folds**", mmlu,
                () -> CrossValidation.scores(mmlu, mmluVectors, random, d));
        row("learned, neighbours and parts chosen on the training folds (the default below "
                + Settings.CHOOSE_BELOW + " examples), random folds", mmlu,
                () -> CrossValidation.scores(mmlu, mmluVectors, random, Settings.SMALL_HISTORY));
        row("reference kNN, k=10, folds by subject", mmlu, () -> CrossValidation.scores(mmlu, mmluVectors, grouped, REFERENCE_KNN));
        row("learned (default), folds by subject", mmlu, () -> CrossValidation.scores(mmlu, mmluVectors, grouped, d));
        row("oracle (knows the labels)", mmlu, () -> mmlu.stream().mapToDouble(i -> i.strongQuality() - i.weakQuality()).toArray());
        line("");
        line("Random folds are seeded (" + SEED + "); \"folds by subject\" puts every prompt of a subject in one fold, "
                + "so each subject is scored by a router that never saw it. The router sees only the prompt "
                + "(its embedding and its words), never the subject. The random router's expected figures are APGR 0.5, CPT(50%) 50%, "
                + "CPT(80%) 80%.");
        line("");
    }

    private void mtBench(List<Item> mmlu, List<float[]> mmluVectors, List<Item> mtBench, List<float[]> mtVectors) {
        Settings d = Settings.DEFAULT;
        line("## MT-Bench (" + mtBench.size() + " questions, contaminated ones dropped)");
        line("");
        line("Quality is the GPT-4 judge's score (1-10) averaged over both turns, as RouteLLM scores MT-Bench. "
                + "Training label: the strong model wins when its average is strictly higher than the weak one's ("
                + mtBench.stream().filter(i -> !i.weakCorrect()).count() + " of " + mtBench.size() + " questions).");
        line("");
        header();
        row("random (seeded)", mtBench, () -> randomScores(mtBench.size()));
        row("reference kNN, k=10, trained on MMLU", mtBench, () -> CrossValidation.transfer(mmlu, mmluVectors, mtBench, mtVectors, REFERENCE_KNN));
        row("learned (default), trained on MMLU", mtBench, () -> CrossValidation.transfer(mmlu, mmluVectors, mtBench, mtVectors, d));
        int[] loo = java.util.stream.IntStream.range(0, mtBench.size()).toArray();
        row("reference kNN, k=10, leave-one-out on MT-Bench", mtBench, () -> CrossValidation.scores(mtBench, mtVectors, loo, REFERENCE_KNN));
        row("learned, fixed (the large-history default), leave-one-out on MT-Bench", mtBench,
                () -> CrossValidation.scores(mtBench, mtVectors, loo, d));
        row("**learned (default for 71 examples: chosen on them), leave-one-out on MT-Bench**", mtBench,
                () -> CrossValidation.scores(mtBench, mtVectors, loo, Settings.forHistory(mtBench.size() - 1)));
        row("oracle (knows the scores)", mtBench, () -> mtBench.stream().mapToDouble(i -> i.strongQuality() - i.weakQuality()).toArray());
        line("");
    }

    /**
     * The time of one routing decision: the request's embedding (the host's service, as the bundle calls
     * it), then the trained router's score and the three nearest examples that explain it.
     */
    private String latency(List<Item> mmlu, List<float[]> mmluVectors, Vectors vectors) {
        StringBuilder section = new StringBuilder();
        int[] fold = CrossValidation.randomFolds(mmlu.size(), FOLDS, SEED);
        Map<String, float[]> byText = new java.util.HashMap<>();
        List<dev.plugboard.router.learned.LabelledPrompt> training = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < mmlu.size(); i++) {
            byText.put(mmlu.get(i).prompt(), mmluVectors.get(i));
            if (fold[i] == 0) {
                held.add(i);
            } else {
                training.add(CrossValidation.label(mmlu.get(i)));
            }
        }
        long trainStart = System.nanoTime();
        LearnedRouter router = LearnedRouter.train(training, byText::get, Settings.forHistory(training.size()));
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        int warm = 50;
        int measured = Math.min(500, held.size() - warm);
        double[] embed = new double[measured];
        double[] decide = new double[measured];
        for (int j = 0; j < warm + measured; j++) {
            String prompt = mmlu.get(held.get(j)).prompt() + " "; // not in the embedding cache
            long t0 = System.nanoTime();
            float[] e = vectors.query(prompt);
            long t1 = System.nanoTime();
            double score = router.strongScore(prompt, e);
            int explained = router.nearest(e, 3).size();
            long t2 = System.nanoTime();
            if (j >= warm) {
                embed[j - warm] = (t1 - t0) / 1e6;
                decide[j - warm] = (t2 - t1) / 1e6;
            }
            sink += score + explained;
        }
        Arrays.sort(embed);
        Arrays.sort(decide);
        section.append("## Per-decision latency").append('\n');
        section.append("\n");
        section.append(String.format(java.util.Locale.ROOT, "The default router trained on %d MMLU prompts (%.1f s, with its "
                + "inner validation; chose k=%d, temperature %s, parts %s), then %d held-out prompts decided one at a "
                + "time, one thread, after %d warm-up decisions:", training.size(), trainSeconds,
                router.choice().neighbours(), router.choice().temperature(), router.choice().parts(), measured, warm)).append('\n');
        section.append("\n");
        section.append("| step | p50 | p90 | p99 |").append('\n');
        section.append("|---|---:|---:|---:|").append('\n');
        section.append(String.format(java.util.Locale.ROOT, "| embedding the request (%s, host service) | %.2f ms | %.2f ms | %.2f ms |",
                Vectors.MODEL, embed[measured / 2], embed[measured * 9 / 10], embed[measured * 99 / 100])).append('\n');
        section.append(String.format(java.util.Locale.ROOT, "| score and the 3 nearest examples | %.2f ms | %.2f ms | %.2f ms |",
                decide[measured / 2], decide[measured * 9 / 10], decide[measured * 99 / 100])).append('\n');
        section.append("\n");
        return section.toString();
    }

    private static double[] randomScores(int n) {
        Random r = new Random(SEED);
        return r.doubles(n).toArray();
    }

    private void header() {
        line("| router | APGR | CPT(50%) | CPT(80%) | strong calls at 95% of strong quality |");
        line("|---|---:|---:|---:|---:|");
    }

    private void row(String name, List<Item> items, Supplier<double[]> scores) {
        long start = System.nanoTime();
        double[] s = scores.get();
        List<QualityCurve.Scored> scored = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            scored.add(new QualityCurve.Scored(s[i], items.get(i).weakQuality(), items.get(i).strongQuality()));
        }
        QualityCurve c = QualityCurve.of(scored);
        line(String.format("| %s | %.3f | %.1f%% | %.1f%% | %.1f%% |", name, c.apgr(), 100 * c.callsForGap(0.5),
                100 * c.callsForGap(0.8), 100 * c.callsFor95()));
        System.err.printf("%s: APGR %.3f (%.0f s; weak %.3f, strong %.3f)%n", name, c.apgr(), (System.nanoTime() - start) / 1e9,
                c.weakQuality(), c.strongQuality());
    }

    private void line(String text) {
        report.append(text).append('\n');
    }
}
