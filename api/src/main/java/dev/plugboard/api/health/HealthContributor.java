package dev.plugboard.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Adds a plugin's state to {@code /health/ready} under {@code plugins.<name>}, where the name is the
 * service property {@link #NAME} (the bundle's symbolic name when it is missing). Register an
 * implementation as an OSGi service (the whiteboard pattern). It reports only: a plugin's entry never
 * makes the host not ready.
 */
@ConsumerType
@FunctionalInterface
public interface HealthContributor {

    /** The service property naming the entry. */
    String NAME = "plugboard.health.name";

    /**
     * The plugin's state now, built from maps with string keys, lists, strings, numbers, booleans
     * and nulls. Called on each readiness request; must be quick and must not block.
     */
    Object health();
}
