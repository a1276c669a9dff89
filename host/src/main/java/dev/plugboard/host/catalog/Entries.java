package dev.plugboard.host.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The entries of one kind: for each key the candidates, ordered by their provider (highest ranking,
 * then oldest), of which the first is active. Reads are lock-free snapshots sorted by key; writes
 * are serialised.
 *
 * @param <T> the entry type
 */
public final class Entries<T extends CatalogEntry> {

    private static final Logger LOG = Logger.getLogger(Entries.class.getName());

    private record Snapshot<T>(List<T> sorted, Map<String, T> byKey) {
    }

    private final String kind;
    private final Map<String, List<T>> candidates = new HashMap<>();
    private volatile Snapshot<T> snapshot = new Snapshot<>(List.of(), Map.of());

    Entries(String kind) {
        this.kind = kind;
    }

    /** Every active entry, ordered by key. */
    public List<T> all() {
        return snapshot.sorted();
    }

    /** The active entry with that key. */
    public Optional<T> find(String key) {
        return Optional.ofNullable(snapshot.byKey().get(key));
    }

    synchronized void add(List<T> entries) {
        insert(entries);
        rebuild();
    }

    synchronized void remove(List<T> entries) {
        delete(entries);
        rebuild();
    }

    /**
     * Takes some entries out and puts others in as one change: a reader sees either all of the old
     * ones or all of the new ones, never neither (an entry in both stays visible throughout).
     */
    synchronized void replace(List<T> out, List<T> in) {
        delete(out);
        insert(in);
        rebuild();
    }

    private void insert(List<T> entries) {
        for (T entry : entries) {
            List<T> list = candidates.computeIfAbsent(entry.key(), k -> new ArrayList<>());
            list.add(entry);
            list.sort((a, b) -> Provider.compare(a.provider(), b.provider()));
            if (list.get(0) != entry) {
                LOG.warning(() -> kind + " '" + entry.key() + "' from " + entry.provider() + " is shadowed by the one from "
                        + list.get(0).provider() + "; it becomes active if that one goes away");
            }
        }
    }

    private void delete(List<T> entries) {
        for (T entry : entries) {
            List<T> list = candidates.get(entry.key());
            if (list != null) {
                list.remove(entry);
                if (list.isEmpty()) {
                    candidates.remove(entry.key());
                }
            }
        }
    }

    private void rebuild() {
        Map<String, T> byKey = new LinkedHashMap<>();
        candidates.keySet().stream().sorted().forEach(k -> byKey.put(k, candidates.get(k).get(0)));
        snapshot = new Snapshot<>(List.copyOf(byKey.values()), Map.copyOf(byKey));
    }
}
