package dev.plugboard.host.health;

import dev.plugboard.api.search.SearchService;
import dev.plugboard.host.containment.CallHealth;
import dev.plugboard.host.deploy.BundleReport;
import dev.plugboard.host.deploy.Readiness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The host's own parts of the detailed health report: the framework, the deployed bundles, the
 * plugins' calls, the search index and the plugins' {@code HealthContributor}s.
 */
public final class HostParts {

    /** The part names the host adds. */
    public static final List<String> NAMES = List.of("framework", "bundles", "calls", "search", "plugins");

    /**
     * What the host's parts are read from.
     *
     * @param framework the system bundle's context
     * @param readiness the deployment's state (and the plugins' reports)
     * @param search the search plugin's service, when it runs
     * @param catalogRevision the catalogue's current revision (what the search index should have reached)
     */
    public record Sources(BundleContext framework, Supplier<Readiness> readiness,
            Supplier<Optional<SearchService>> search, LongSupplier catalogRevision) {
    }

    private HostParts() {
    }

    /** Adds the host's parts to a registry. */
    public static void addTo(HealthParts parts, Sources sources) {
        parts.add("framework", () -> framework(sources.framework()));
        parts.add("bundles", () -> bundles(sources.readiness().get()));
        parts.add("calls", () -> calls(sources.readiness().get().calls()));
        parts.add("search", () -> search(sources.search().get(), sources.catalogRevision().getAsLong()));
        parts.add("plugins", () -> plugins(sources.readiness().get().plugins()));
    }

    private static PartStatus framework(BundleContext context) {
        Bundle system;
        try {
            system = context.getBundle(0);
        } catch (IllegalStateException e) {
            return PartStatus.down("the framework stopped", null);
        }
        boolean active = system.getState() == Bundle.ACTIVE;
        Map<String, Object> details = Map.of("state", active ? "ACTIVE" : "NOT_ACTIVE",
                "bundles", context.getBundles().length);
        return active ? PartStatus.up(details) : PartStatus.down("the framework is not active", details);
    }

    private static PartStatus bundles(Readiness readiness) {
        List<Map<String, Object>> list = new ArrayList<>();
        int failed = 0;
        for (BundleReport b : readiness.bundles()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", b.file());
            entry.put("symbolicName", b.symbolicName());
            entry.put("version", b.version());
            entry.put("state", b.error() == null ? b.state() : "FAILED");
            if (b.error() != null) {
                entry.put("error", b.error());
                failed++;
            }
            if (!b.problems().isEmpty()) {
                entry.put("problems", b.problems());
            }
            list.add(entry);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ready", readiness.ready());
        details.put("bundles", list);
        if (!readiness.ready()) {
            return PartStatus.down("start-up deployment has not finished", details);
        }
        return failed == 0 ? PartStatus.up(details)
                : PartStatus.degraded(failed + " bundle(s) failed", details);
    }

    private static PartStatus calls(List<CallHealth> calls) {
        long degraded = calls.stream().filter(CallHealth::degraded).count();
        Map<String, Object> details = Map.of("plugins", calls);
        return degraded == 0 ? PartStatus.up(details)
                : PartStatus.degraded(degraded + " plugin(s) degraded by stuck calls", details);
    }

    private static PartStatus search(Optional<SearchService> search, long catalogRevision) {
        if (search.isEmpty()) {
            return PartStatus.up(Map.of("deployed", false));
        }
        long indexed = search.get().indexedRevision();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deployed", true);
        details.put("indexedRevision", indexed);
        details.put("catalogRevision", catalogRevision);
        // Vectors come later than full text, in the background, once something needs them; until then
        // searches answer by full text. That is a state to report, not a fault.
        details.put("vectors", search.get().vectorsReady() ? "ready"
                : "not ready: vector and hybrid searches answer by full text (BM25) until they are computed");
        // Indexing follows catalogue changes shortly after them: behind is normal for a moment.
        return PartStatus.up(details);
    }

    private static PartStatus plugins(Map<String, Object> reports) {
        PartStatus.State worst = PartStatus.State.UP;
        for (Object report : reports.values()) {
            worst = PartStatus.worse(worst, stateOf(report));
        }
        Map<String, Object> details = new LinkedHashMap<>(reports);
        return switch (worst) {
            case UP -> PartStatus.up(details);
            case DEGRADED, DOWN -> PartStatus.degraded("a plugin reports a problem", details);
        };
    }

    /** A contributor's report names its state in a {@code status} or {@code state} entry, if at all. */
    private static PartStatus.State stateOf(Object report) {
        if (report instanceof Map<?, ?> map) {
            Object s = map.containsKey("status") ? map.get("status") : map.get("state");
            if (s instanceof String text) {
                String upper = text.toUpperCase(Locale.ROOT);
                if (upper.equals("DOWN") || upper.equals("OPEN") || upper.equals("FAILED")) {
                    return PartStatus.State.DOWN;
                }
                if (upper.equals("DEGRADED") || upper.equals("HALF_OPEN")) {
                    return PartStatus.State.DEGRADED;
                }
            }
            if (map.containsKey("error")) {
                return PartStatus.State.DOWN;
            }
        }
        return PartStatus.State.UP;
    }
}
