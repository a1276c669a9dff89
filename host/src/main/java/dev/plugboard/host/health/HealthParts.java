package dev.plugboard.host.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The parts the detailed {@code GET /health} lists, by name. The host adds its own at start-up;
 * others (a store, an exporter) add theirs with {@link #add} and remove them by closing what it
 * returns. Thread-safe.
 */
public final class HealthParts {

    private static final Logger LOG = Logger.getLogger(HealthParts.class.getName());

    private final Map<String, HealthPart> parts = new ConcurrentHashMap<>();
    private final Map<String, Integer> order = new ConcurrentHashMap<>();
    private final java.util.List<java.util.function.Consumer<String>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Adds a part.
     *
     * @param name its name in the report (and the {@code part} tag of the health gauge): lower-case,
     *     short, fixed (such as {@code redis})
     * @return removes it
     * @throws IllegalArgumentException when a part of that name is there already
     */
    public AutoCloseable add(String name, HealthPart part) {
        Objects.requireNonNull(part, "part");
        if (parts.putIfAbsent(Objects.requireNonNull(name, "name"), part) != null) {
            throw new IllegalArgumentException("a health part named " + name + " exists already");
        }
        order.putIfAbsent(name, order.size());
        listeners.forEach(l -> l.accept(name));
        return () -> parts.remove(name, part);
    }

    /** Calls a listener with the name of every part there is and of every part added later (the metrics' gauges). */
    public synchronized void onAdd(java.util.function.Consumer<String> listener) {
        listeners.add(listener);
        names().forEach(listener);
    }

    /** The names of the parts, in the order they were added. */
    public java.util.List<String> names() {
        return parts.keySet().stream().sorted(java.util.Comparator.comparingInt(n -> order.getOrDefault(n, 0)))
                .toList();
    }

    /** One part's state now; down when it fails, null when there is no such part. */
    public PartStatus check(String name) {
        HealthPart part = parts.get(name);
        if (part == null) {
            return null;
        }
        try {
            PartStatus status = part.check();
            return status == null ? PartStatus.down("its check returned nothing", null) : status;
        } catch (RuntimeException e) {
            LOG.warning(() -> "The health check of " + name + " failed: " + e);
            return PartStatus.down("its check failed", null);
        }
    }

    /**
     * Every part's state now, with the server's (its worst part's).
     *
     * @param state the worst state of the parts
     * @param parts each part's state, in the order they were added
     */
    public record Report(PartStatus.State state, Map<String, PartStatus> parts) {
    }

    /** Checks every part. */
    public Report report() {
        Map<String, PartStatus> out = new LinkedHashMap<>();
        PartStatus.State worst = PartStatus.State.UP;
        for (String name : names()) {
            PartStatus status = check(name);
            if (status != null) {
                out.put(name, status);
                worst = PartStatus.worse(worst, status.state());
            }
        }
        return new Report(worst, out);
    }
}
