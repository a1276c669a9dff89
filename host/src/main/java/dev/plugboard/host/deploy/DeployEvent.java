package dev.plugboard.host.deploy;

/**
 * What the deployer did with one jar, as it happens (see {@link BundleDeployer#addListener}).
 *
 * @param action what happened
 * @param file the jar's file name in the deploy folder
 * @param symbolicName the bundle's symbolic name, or null when the jar is not a bundle
 * @param version the bundle's version, or null
 * @param detail for {@link Action#FAILED}: why; otherwise null
 */
public record DeployEvent(Action action, String file, String symbolicName, String version, String detail) {

    /** The kinds of deployment events. */
    public enum Action {
        /** The bundle was installed into the framework. */
        INSTALLED,
        /** The bundle was replaced by the jar's new content and started again. */
        UPDATED,
        /** The bundle was started. */
        STARTED,
        /** The bundle was stopped (it stays installed). */
        STOPPED,
        /** The bundle was uninstalled. */
        REMOVED,
        /** The jar was refused, or its bundle could not be installed, updated or started. */
        FAILED
    }
}
