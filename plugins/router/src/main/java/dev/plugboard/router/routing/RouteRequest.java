package dev.plugboard.router.routing;

/**
 * What a routing decision is made from, before any model is called.
 *
 * @param requested what the client named: a tier, a model alias, or {@code auto}
 * @param caller the authenticated principal
 * @param qualityLevel {@code normal}, {@code high} or {@code critical}
 * @param project the caller's project, or null
 * @param preferences MCP model preferences
 * @param prompt the last user message, for a learned policy
 */
public record RouteRequest(String requested, String caller, String qualityLevel, String project,
        ModelPreferences preferences, String prompt) {

    /** Fills defaults. */
    public RouteRequest {
        requested = requested == null || requested.isBlank() ? "auto" : requested;
        qualityLevel = qualityLevel == null ? "normal" : qualityLevel;
        preferences = preferences == null ? ModelPreferences.NONE : preferences;
        prompt = prompt == null ? "" : prompt;
    }
}
