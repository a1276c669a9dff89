package dev.plugboard.host.deploy;

import java.util.List;

/**
 * The state of one jar in the deploy folder.
 *
 * @param file the jar's file name
 * @param bundleId the installed bundle's id, or null when it was not installed
 * @param symbolicName the bundle's symbolic name, or null
 * @param version the bundle's version, or null
 * @param state {@code ACTIVE}, {@code RESOLVED}, {@code INSTALLED}, {@code STARTING}, {@code STOPPING}
 *     or {@code FAILED} (not installed or not started)
 * @param error why it failed, or null
 * @param problems what else is wrong (components that failed to activate, tools that were skipped)
 */
public record BundleReport(String file, Long bundleId, String symbolicName, String version, String state,
        String error, List<String> problems) {

    /** Copies the problems. */
    public BundleReport {
        problems = List.copyOf(problems);
    }
}
