package dev.plugboard.host.deploy;

import dev.plugboard.host.containment.CallHealth;
import java.util.List;
import java.util.Map;

/**
 * Whether the host is ready, and the state of every deployed jar.
 *
 * @param ready true once every jar found at start-up was started or reported as failed
 * @param status {@code UP}, {@code STARTING}, or {@code DEGRADED} when ready but the shared store
 *     (Redis) cannot be reached: the node serves what it holds
 * @param bundles one report per jar in the deploy folder
 * @param calls how each plugin's calls are doing (running, stuck, degraded, threads left behind), by bundle id
 * @param plugins what plugins report of themselves (such as the proxy's upstreams), by name; never affects {@code ready}
 * @param store the shared store ({@code kind}, {@code up}, {@code detail}); empty when sessions are in memory
 * @param config the host's configuration files that could not be used, by file name ({@code security.json}),
 *     each with its {@code state} ({@code invalid}) and {@code lastError}; the configuration read before
 *     stays in force, so these never affect {@code ready}; empty when every file is in force
 */
public record Readiness(boolean ready, String status, List<BundleReport> bundles, List<CallHealth> calls,
        Map<String, Object> plugins, Map<String, Object> store, Map<String, Object> config) {

    /** A readiness report. */
    public static Readiness of(boolean ready, List<BundleReport> bundles) {
        return of(ready, bundles, List.of());
    }

    /** A readiness report with the state of the plugins' calls. */
    public static Readiness of(boolean ready, List<BundleReport> bundles, List<CallHealth> calls) {
        return of(ready, bundles, calls, Map.of());
    }

    /** A readiness report with the state of the plugins' calls and what plugins report of themselves. */
    public static Readiness of(boolean ready, List<BundleReport> bundles, List<CallHealth> calls,
            Map<String, Object> plugins) {
        return new Readiness(ready, ready ? "UP" : "STARTING", List.copyOf(bundles), List.copyOf(calls),
                plugins, Map.of(), Map.of());
    }

    /** This report with the state of the shared store; a store that cannot be reached makes a ready node DEGRADED. */
    public Readiness withStore(String kind, boolean up, String detail) {
        Map<String, Object> state = new java.util.LinkedHashMap<>();
        state.put("kind", kind);
        state.put("up", up);
        state.put("detail", detail);
        return new Readiness(ready, ready && !up ? "DEGRADED" : status, bundles, calls, plugins,
                java.util.Collections.unmodifiableMap(state), config);
    }

    /**
     * This report naming a configuration file that could not be used (the one read before is in force).
     *
     * @param file the file's name, such as {@code security.json}
     * @param problem what is wrong with it
     */
    public Readiness withConfigProblem(String file, String problem) {
        Map<String, Object> files = new java.util.LinkedHashMap<>(config);
        files.put(file, Map.of("state", "invalid", "lastError", problem));
        return new Readiness(ready, status, bundles, calls, plugins, store,
                java.util.Collections.unmodifiableMap(files));
    }
}
