package dev.plugboard.host.deploy;

import java.util.List;

/**
 * Whether the host is ready, and the state of every deployed jar.
 *
 * @param ready true once every jar found at start-up was started or reported as failed
 * @param status {@code UP} or {@code STARTING}
 * @param bundles one report per jar in the deploy folder
 */
public record Readiness(boolean ready, String status, List<BundleReport> bundles) {

    /** A readiness report. */
    public static Readiness of(boolean ready, List<BundleReport> bundles) {
        return new Readiness(ready, ready ? "UP" : "STARTING", List.copyOf(bundles));
    }
}
