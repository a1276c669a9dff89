package dev.plugboard.host.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredTemplate;
import dev.plugboard.host.catalog.ResourceHandler;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.protocol.CallContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads resources: a fixed resource with that URI, else the first template (in template order) that
 * matches it.
 */
public final class ResourceReader {

    private final Catalog catalog;
    private final Invocations invocations;

    /**
     * @param catalog where resources are found
     * @param invocations runs the plugin code
     */
    public ResourceReader(Catalog catalog, Invocations invocations) {
        this.catalog = catalog;
        this.invocations = invocations;
    }

    private record Target(ResourceHandler handler, Map<String, String> variables, Provider provider) {
    }

    /** Whether some resource or template answers for this URI. */
    public boolean exists(String uri) {
        return target(uri).isPresent();
    }

    /** Tells the provider of a URI that a session subscribed to it or ended its subscription. */
    public void subscriptionChanged(String uri, boolean subscribed) {
        target(uri).ifPresent(t -> t.provider().subscriptionChanged(uri, subscribed));
    }

    /**
     * Reads a URI.
     *
     * @return completes with the contents, or with null when no resource has that URI; exceptionally
     *     as {@link Invocations#run} describes
     */
    public CompletableFuture<List<JsonNode>> read(String uri, CallContext context) {
        Optional<Target> target = target(uri);
        if (target.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Target t = target.get();
        return invocations.run(t.provider(), "Resource '" + uri + "'", context,
                () -> t.handler().read(uri, t.variables(), context));
    }

    private Optional<Target> target(String uri) {
        var fixed = catalog.resources().find(uri);
        if (fixed.isPresent()) {
            return Optional.of(new Target(fixed.get().handler(), Map.of(), fixed.get().provider()));
        }
        for (RegisteredTemplate t : catalog.templates().all()) {
            Optional<Map<String, String>> vars = t.template().match(uri);
            if (vars.isPresent()) {
                return Optional.of(new Target(t.handler(), vars.get(), t.provider()));
            }
        }
        return Optional.empty();
    }
}
