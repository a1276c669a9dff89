package dev.plugboard.plugins.search;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How much each text field counts in full-text ranking. Each field is scored with BM25 on its own and
 * the weighted scores are summed; {@code all} is one field holding the whole entry (name, title,
 * description and parameters), whose length normalisation sees the entry as a whole.
 *
 * @param weights weight by field name ({@code name}, {@code title}, {@code description},
 *        {@code params}, {@code all}); a field left out counts zero
 */
record FieldWeights(Map<String, Float> weights) {

    /** The fields that can be weighted. */
    static final java.util.List<String> FIELDS = java.util.List.of(CatalogIndex.NAME, CatalogIndex.TITLE,
            CatalogIndex.DESCRIPTION, CatalogIndex.PARAMS, CatalogIndex.ALL);

    /** The default, chosen across corpora (see docs/search.md). */
    static final FieldWeights DEFAULT = parse("all=1,name=0.5,title=0.5,description=0.5");

    FieldWeights {
        weights = Map.copyOf(weights);
        for (Map.Entry<String, Float> e : weights.entrySet()) {
            if (!FIELDS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown field '" + e.getKey() + "' (fields: " + FIELDS + ")");
            }
            if (!(e.getValue() >= 0) || e.getValue().isInfinite()) {
                throw new IllegalArgumentException("the weight of " + e.getKey() + " must be a non-negative number");
            }
        }
        if (weights.values().stream().allMatch(w -> w == 0)) {
            throw new IllegalArgumentException("at least one field weight must be above zero");
        }
    }

    /** Reads {@code field=weight,field=weight}. */
    static FieldWeights parse(String text) {
        Map<String, Float> weights = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not field=weight");
            }
            try {
                weights.put(kv[0].trim().toLowerCase(Locale.ROOT).replace("parameters", "params"),
                        Float.parseFloat(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the weight of " + kv[0].trim() + " is not a number");
            }
        }
        return new FieldWeights(weights);
    }

    /** The weight of a field; zero when it does not count. */
    float of(String field) {
        return weights.getOrDefault(field, 0f);
    }
}
