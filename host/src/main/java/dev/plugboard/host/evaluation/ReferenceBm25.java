package dev.plugboard.host.evaluation;

import dev.plugboard.api.catalog.CatalogItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A plain BM25 written with the standard library only, to measure the production ranking against in
 * the same run: one bag of words per tool (name, title, description, parameter names and
 * descriptions), identifiers split into words, lower case, English stop words removed, no stemming,
 * k1 1.2, b 0.75, Lucene's idf. Deliberately simple: it is the baseline, not a contender.
 */
final class ReferenceBm25 {

    private static final double K1 = 1.2;
    private static final double B = 0.75;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by",
            "for", "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their",
            "then", "there", "these", "they", "this", "to", "was", "will", "with");

    private record Posting(int doc, int frequency) {
    }

    private final List<String> keys = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private final Map<String, List<Posting>> postings = new HashMap<>();
    private final double averageLength;

    /** Indexes a catalogue. */
    ReferenceBm25(List<CatalogItem> items) {
        long total = 0;
        for (CatalogItem item : items) {
            StringBuilder text = new StringBuilder(item.name());
            append(text, item.title());
            append(text, item.description());
            for (CatalogItem.Parameter p : item.parameters()) {
                append(text, p.name());
                append(text, p.description());
            }
            List<String> words = words(text.toString());
            Map<String, Integer> counts = new HashMap<>();
            words.forEach(w -> counts.merge(w, 1, Integer::sum));
            int doc = keys.size();
            keys.add(item.key());
            lengths.add(words.size());
            total += words.size();
            counts.forEach((w, n) -> postings.computeIfAbsent(w, x -> new ArrayList<>()).add(new Posting(doc, n)));
        }
        averageLength = keys.isEmpty() ? 1 : Math.max(1, (double) total / keys.size());
    }

    /** The keys of the best {@code limit} tools for a query, best first. */
    List<String> search(String query, int limit) {
        double[] scores = new double[keys.size()];
        for (String term : new LinkedHashSet<>(words(query))) {
            List<Posting> list = postings.get(term);
            if (list == null) {
                continue;
            }
            double idf = Math.log(1 + (keys.size() - list.size() + 0.5) / (list.size() + 0.5));
            for (Posting p : list) {
                double norm = K1 * (1 - B + B * lengths.get(p.doc()) / averageLength);
                scores[p.doc()] += idf * p.frequency() * (K1 + 1) / (p.frequency() + norm);
            }
        }
        List<Integer> matched = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > 0) {
                matched.add(i);
            }
        }
        matched.sort((a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
        return matched.stream().limit(limit).map(keys::get).toList();
    }

    private static void append(StringBuilder text, String part) {
        if (part != null) {
            text.append(' ').append(part);
        }
    }

    /** Words of a text: identifiers split where their words meet, lower case, stop words left out. */
    static List<String> words(String text) {
        String split = text.replaceAll("([\\p{Ll}\\p{N}])(\\p{Lu})", "$1 $2")
                .replaceAll("(\\p{Lu}+)(\\p{Lu}\\p{Ll})", "$1 $2");
        List<String> out = new ArrayList<>();
        var m = WORD.matcher(split.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (!STOP_WORDS.contains(m.group())) {
                out.add(m.group());
            }
        }
        return out;
    }
}
