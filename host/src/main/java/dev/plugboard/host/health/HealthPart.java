package dev.plugboard.host.health;

/**
 * One part of the server in the detailed {@code GET /health} (and in the
 * {@code plugboard_health_up} gauge): the framework, the bundles, the search index, the plugins'
 * health contributors, a store... A part is added to {@link HealthParts} with one line.
 */
@FunctionalInterface
public interface HealthPart {

    /**
     * The part's state now. Called for each health request and each metrics scrape: must be quick
     * and must not block (report what a background check last saw). An exception is reported as
     * the part being down.
     */
    PartStatus check();
}
