package dev.plugboard.host.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredTemplate;
import dev.plugboard.host.catalog.ResourceHandler;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.tool.ResultCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads resources: a fixed resource with that URI, else the first template (in template order) that
 * matches it. Reads of resources that declare {@code cacheSeconds} go through the cache of results
 * ({@link #cacheReads}), keyed by URI, plugin and plugin version.
 */
public final class ResourceReader {

    private final Catalog catalog;
    private final Invocations invocations;
    private volatile ResultCache cache = ResultCache.NONE;

    /**
     * @param catalog where resources are found
     * @param invocations runs the plugin code
     */
    public ResourceReader(Catalog catalog, Invocations invocations) {
        this.catalog = catalog;
        this.invocations = invocations;
    }

    /** Sets where the reads of resources that allow it are cached (shared with tool results). */
    public void cacheReads(ResultCache cache) {
        this.cache = cache;
    }

    /** Drops the cached read of a URI (its provider announced that it changed). */
    public void forget(String uri) {
        ResultCache results = cache;
        if (results != ResultCache.NONE) {
            target(uri).filter(t -> t.handler().cacheFor() != null).ifPresent(t -> results.remove(key(uri, t.provider())));
        }
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
        ResultCache results = cache;
        Duration ttl = t.handler().cacheFor();
        String key = ttl == null || results == ResultCache.NONE ? null : key(uri, t.provider());
        if (key != null && results.get(key) instanceof ArrayNode hit && !hit.isEmpty()) {
            List<JsonNode> contents = new ArrayList<>(hit.size());
            hit.forEach(contents::add);
            return CompletableFuture.completedFuture(contents);
        }
        CompletableFuture<List<JsonNode>> read = invocations.run(t.provider(), "Resource '" + uri + "'", context,
                () -> t.handler().read(uri, t.variables(), context));
        if (key == null) {
            return read;
        }
        return read.thenApply(contents -> {
            if (contents != null && !contents.isEmpty()) {
                results.put(key, JsonNodeFactory.instance.arrayNode().addAll(contents), ttl);
            }
            return contents;
        });
    }

    /** The cache key of a read: the URI, its plugin and that plugin's version, hashed. */
    static String key(String uri, Provider provider) {
        String text = "resource\n" + uri + "\n" + provider.bundleName() + "\n" + provider.bundleVersion();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
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
