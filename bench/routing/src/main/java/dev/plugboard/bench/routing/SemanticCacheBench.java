package dev.plugboard.bench.routing;

import dev.plugboard.bench.routing.LabelledSets.Item;
import dev.plugboard.router.learned.SemanticMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The semantic cache's hit rate and false-hit rate on prompt pairs built deterministically from MMLU:
 * pairs that ask the same question in another form (a hit is right) and pairs that ask a different
 * question (a hit would return a wrong answer).
 */
final class SemanticCacheBench {

    /** Two prompts; {@code same} when they ask the same question. */
    record Pair(String kind, boolean same, String first, String second) {}

    private static final int PER_KIND = 400;
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)", Pattern.DOTALL);
    private static final Pattern OPTIONS = Pattern.compile("\\nA\\. .*", Pattern.DOTALL);
    private static final List<String> PLACES = List.of("France", "Germany", "China", "Japan", "India", "Russia",
            "England", "Canada", "Mexico", "Italy", "Spain", "Egypt", "Greece", "Brazil", "Australia", "Africa",
            "Europe", "Asia", "London", "Paris", "Rome", "Athens", "Washington", "Texas", "California");
    private static final double[] THRESHOLDS = {0.85, 0.90, 0.93, 0.95, 0.97};

    private final StringBuilder report;

    SemanticCacheBench(StringBuilder report) {
        this.report = report;
    }

    /** The pairs, at most {@value #PER_KIND} of each kind, spread evenly over MMLU. */
    static List<Pair> pairs(List<Item> mmlu) {
        List<String> prompts = mmlu.stream().map(Item::prompt).toList();
        Map<String, List<Pair>> kinds = new LinkedHashMap<>();
        for (String p : prompts) {
            add(kinds, new Pair("same: polite prefix", true, p, "Please answer the following question.\n" + p));
            add(kinds, new Pair("same: reformatted options", true, p,
                    p.replaceAll("(?m)^([A-D])\\. ", "($1) ").replaceAll("\\s*Answer:\\s*$", "").replaceAll("[ \\t]+", " ")));
            add(kinds, new Pair("same: lower case", true, p, p.toLowerCase(java.util.Locale.ROOT)));
            Matcher n = LAST_NUMBER.matcher(p);
            if (n.find()) {
                String changed = p.substring(0, n.start()) + (Long.parseLong(n.group(1).length() > 15 ? "1" : n.group(1)) + 1)
                        + p.substring(n.end());
                add(kinds, new Pair("different: a number changed", false, p, changed));
            }
            for (int i = 0; i < PLACES.size(); i++) {
                if (p.matches("(?s).*\\b" + PLACES.get(i) + "\\b.*")) {
                    String other = PLACES.get((i + 1) % PLACES.size());
                    add(kinds, new Pair("different: a place changed", false, p, p.replaceAll("\\b" + PLACES.get(i) + "\\b", other)));
                    break;
                }
            }
            if (p.contains("Which of the following is ") && !p.contains("Which of the following is not ")) {
                add(kinds, new Pair("different: negated", false, p, p.replaceFirst("Which of the following is ",
                        "Which of the following is not ")));
            }
        }
        // the same stem with the options of the next question of the same subject
        for (int i = 0; i + 1 < mmlu.size(); i++) {
            Item a = mmlu.get(i);
            Item b = mmlu.get(i + 1);
            Matcher oa = OPTIONS.matcher(a.prompt());
            Matcher ob = OPTIONS.matcher(b.prompt());
            if (a.group().equals(b.group()) && oa.find() && ob.find() && !oa.group().equals(ob.group())) {
                add(kinds, new Pair("different: same stem, other options", false, a.prompt(),
                        a.prompt().substring(0, oa.start()) + ob.group()));
            }
        }
        // distinct MMLU questions that share their first line
        Map<String, String> byStem = new HashMap<>();
        for (String p : prompts) {
            String stem = p.lines().findFirst().orElse("");
            String seen = byStem.putIfAbsent(stem, p);
            if (seen != null && !seen.equals(p) && stem.length() > 20) {
                add(kinds, new Pair("different: MMLU questions sharing a stem", false, seen, p));
            }
        }
        List<Pair> out = new ArrayList<>();
        kinds.values().forEach(list -> out.addAll(spread(list)));
        return out;
    }

    private static void add(Map<String, List<Pair>> kinds, Pair pair) {
        if (!pair.first().equals(pair.second())) {
            kinds.computeIfAbsent(pair.kind(), k -> new ArrayList<>()).add(pair);
        }
    }

    private static List<Pair> spread(List<Pair> list) {
        if (list.size() <= PER_KIND) {
            return list;
        }
        List<Pair> out = new ArrayList<>(PER_KIND);
        for (int j = 0; j < PER_KIND; j++) {
            out.add(list.get((int) ((long) j * list.size() / PER_KIND)));
        }
        return out;
    }

    void run(List<Pair> pairs, List<float[][]> vectors) {
        line("## Semantic cache");
        line("");
        line("Pairs built deterministically from MMLU (at most " + PER_KIND + " per kind, spread over the subjects). "
                + "A hit on a \"same\" pair is right; a hit on a \"different\" pair is a false hit (the cached answer "
                + "of another question). \"cosine only\" is a plain semantic cache at the same threshold; "
                + "\"guarded\" is `SemanticMatch` (cosine, then numbers, names, quoted literals, negations and listed choices must agree).");
        line("");
        double d = SemanticMatch.DEFAULT_MIN_SIMILARITY;
        line("At the default threshold (" + d + "):");
        line("");
        line("| pairs | count | cosine only: hits | guarded: hits |");
        line("|---|---:|---:|---:|");
        Map<String, int[]> byKind = new LinkedHashMap<>();
        SemanticMatch guard = new SemanticMatch(d);
        List<String> falseHits = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            int[] c = byKind.computeIfAbsent(p.kind(), k -> new int[3]);
            SemanticMatch.Decision decision = guard.compare(p.first(), vectors.get(i)[0], p.second(), vectors.get(i)[1]);
            c[0]++;
            c[1] += decision.similarity() >= d ? 1 : 0;
            c[2] += decision.same() ? 1 : 0;
            if (decision.same() && !p.same() && falseHits.size() < 5) {
                falseHits.add(p.kind() + ": " + oneLine(p.first()) + " / " + oneLine(p.second()));
            }
        }
        byKind.forEach((kind, c) -> line(String.format("| %s | %d | %.1f%% | %.1f%% |", kind, c[0], 100.0 * c[1] / c[0],
                100.0 * c[2] / c[0])));
        line("");
        line("Over all pairs, by threshold (hit rate on \"same\" pairs; false-hit rate on \"different\" pairs):");
        line("");
        line("| threshold | cosine only: hit rate | cosine only: false-hit rate | guarded: hit rate | guarded: false-hit rate |");
        line("|---:|---:|---:|---:|---:|");
        for (double t : THRESHOLDS) {
            SemanticMatch g = new SemanticMatch(t);
            int same = 0;
            int different = 0;
            int[] hits = new int[4];
            for (int i = 0; i < pairs.size(); i++) {
                Pair p = pairs.get(i);
                SemanticMatch.Decision decision = g.compare(p.first(), vectors.get(i)[0], p.second(), vectors.get(i)[1]);
                boolean close = decision.similarity() >= t;
                if (p.same()) {
                    same++;
                    hits[0] += close ? 1 : 0;
                    hits[2] += decision.same() ? 1 : 0;
                } else {
                    different++;
                    hits[1] += close ? 1 : 0;
                    hits[3] += decision.same() ? 1 : 0;
                }
            }
            line(String.format("| %.2f%s | %.1f%% | %.2f%% | %.1f%% | %.2f%% |", t, t == d ? " (default)" : "",
                    100.0 * hits[0] / same, 100.0 * hits[1] / different, 100.0 * hits[2] / same, 100.0 * hits[3] / different));
        }
        line("");
        if (falseHits.isEmpty()) {
            line("No false hit at the default threshold.");
        } else {
            line("False hits at the default threshold (first " + falseHits.size() + "):");
            falseHits.forEach(f -> line("- " + f));
        }
        line("");
    }

    private static String oneLine(String text) {
        String s = text.replaceAll("\\s+", " ").strip();
        return "`" + (s.length() > 90 ? s.substring(0, 90) + "…" : s).replace("`", "'") + "`";
    }

    private void line(String text) {
        report.append(text).append('\n');
    }
}
