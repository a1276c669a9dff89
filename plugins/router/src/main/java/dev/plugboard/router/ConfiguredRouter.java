package dev.plugboard.router;

/**
 * Registered as a service while {@code router.json} configures a router, so that the MCP tools exist
 * only then (a catalogue without a configured router shows no model tools).
 */
public final class ConfiguredRouter {

    private final RouterService service;

    ConfiguredRouter(RouterService service) {
        this.service = service;
    }

    /** The router service. */
    public RouterService service() {
        return service;
    }
}
