package dev.plugboard.plugins.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.dynamic.DynamicCompletionHandler;
import dev.plugboard.api.dynamic.DynamicPrompt;
import dev.plugboard.api.dynamic.DynamicResource;
import dev.plugboard.api.dynamic.DynamicResourceTemplate;
import dev.plugboard.api.dynamic.ToolGroup;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.api.upstream.UpstreamConnection;
import dev.plugboard.api.upstream.UpstreamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * An upstream's resources, resource templates and prompts in the catalogue, beside its tools: listed
 * when it connects (if it declares the capability) and again on its {@code list_changed}
 * notifications, read, rendered and completed through its connection.
 *
 * <p>Prompts are offered as {@code prefix + separator + name}, like tools. Resources and templates
 * keep the upstream's URIs (so that links in its tool results still work) and get the prefixed name;
 * a URI or URI template another upstream or bundle already offers is left out and reported, never
 * shadowed.
 */
final class UpstreamEntries {

    private static final Logger LOG = Logger.getLogger(UpstreamEntries.class.getName());
    /** The upstream answered that the resource does not exist (2025-11-25). */
    private static final int RESOURCE_NOT_FOUND = -32002;
    private static final int INVALID_PARAMS = -32602;
    private static final int MAX_LISTED = 10_000;

    private final UpstreamSettings settings;
    private final String separator;
    private final ToolGroup group;
    private final ObjectMapper mapper;
    private final Requests requests;
    private volatile int resourceCount;
    private volatile int templateCount;
    private volatile int promptCount;
    private volatile List<String> resourceProblems = List.of();
    private volatile List<String> promptProblems = List.of();
    /**
     * Number the refreshes of each kind in the order they ask: they overlap (the one after
     * connecting, one per {@code list_changed}) and their answers may be handled in any order, so a
     * listing asked for before one already offered is older than it and dropped.
     */
    private final AtomicLong resourceRefreshes = new AtomicLong();
    private final AtomicLong promptRefreshes = new AtomicLong();
    private long resourcesOffered;
    private long promptsOffered;

    /** Sends one request to the upstream through its guards, as its tool calls go. */
    @FunctionalInterface
    interface Requests {
        /**
         * @param doing what the request does, for the failure's sentence: "reading resource 'x'"
         * @return the result as JSON text
         * @throws UpstreamException the error the upstream answered
         * @throws ToolException any other failure (not connected, breaker open, busy, too slow), in a sentence
         */
        String send(String method, String params, RequestContext context, String doing) throws Exception;
    }

    /**
     * @param requests sends through the upstream's bulkhead, circuit breaker, time limiter and retry
     */
    UpstreamEntries(UpstreamSettings settings, String separator, ToolGroup group, ObjectMapper mapper,
            Requests requests) {
        this.settings = settings;
        this.separator = separator;
        this.group = group;
        this.mapper = mapper;
        this.requests = requests;
    }

    /** Lists everything the upstream declares it offers, after a handshake. */
    void refreshAll(UpstreamConnection c, Predicate<UpstreamConnection> current) {
        JsonNode capabilities = capabilities(c);
        if (capabilities.has("resources")) {
            refreshResources(c, current);
        }
        if (capabilities.has("prompts")) {
            refreshPrompts(c, current);
        }
    }

    /** Hears an upstream notification; true when it was about resources or prompts. */
    boolean notified(String method, UpstreamConnection c, Predicate<UpstreamConnection> current) {
        switch (method) {
            case "notifications/resources/list_changed" -> Thread.ofVirtual()
                    .name("proxy-refresh-" + settings.name()).start(() -> refreshResources(c, current));
            case "notifications/prompts/list_changed" -> Thread.ofVirtual()
                    .name("proxy-refresh-" + settings.name()).start(() -> refreshPrompts(c, current));
            default -> {
                return false;
            }
        }
        return true;
    }

    private JsonNode capabilities(UpstreamConnection c) {
        try {
            return mapper.readTree(c.initializeResult()).path("capabilities");
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }

    private void refreshResources(UpstreamConnection c, Predicate<UpstreamConnection> current) {
        long mine = resourceRefreshes.incrementAndGet();
        List<JsonNode> listed = list(c, "resources/list", "resources");
        List<JsonNode> listedTemplates = list(c, "resources/templates/list", "resourceTemplates");
        if (listed == null || listedTemplates == null) {
            return;
        }
        boolean completes = capabilities(c).has("completions");
        List<DynamicResource> resources = new ArrayList<>();
        for (JsonNode r : listed) {
            String uri = text(r, "uri");
            if (uri != null) {
                resources.add(new DynamicResource(uri, federated(r, uri), text(r, "title"), text(r, "description"),
                        text(r, "mimeType"), this::read));
            }
        }
        List<DynamicResourceTemplate> templates = new ArrayList<>();
        for (JsonNode t : listedTemplates) {
            String template = text(t, "uriTemplate");
            if (template != null) {
                templates.add(new DynamicResourceTemplate(template, federated(t, template), text(t, "title"),
                        text(t, "description"), text(t, "mimeType"), this::read,
                        completes ? completion("ref/resource", "uri", template) : null));
            }
        }
        synchronized (this) {
            if (!current.test(c) || mine < resourcesOffered) {
                return;
            }
            resourcesOffered = mine;
            try {
                resourceProblems = group.setResources(resources, templates);
            } catch (IllegalStateException closed) {
                return;
            }
            long left = resourceProblems.stream().filter(p -> p.startsWith("Resource '")).count();
            resourceCount = resources.size() - (int) left;
            templateCount = templates.size() - (resourceProblems.size() - (int) left);
        }
        LOG.info(() -> "Upstream " + settings.name() + ": " + resourceCount + " resource(s) and " + templateCount
                + " template(s) offered");
    }

    private void refreshPrompts(UpstreamConnection c, Predicate<UpstreamConnection> current) {
        long mine = promptRefreshes.incrementAndGet();
        List<JsonNode> listed = list(c, "prompts/list", "prompts");
        if (listed == null) {
            return;
        }
        boolean completes = capabilities(c).has("completions");
        List<DynamicPrompt> prompts = new ArrayList<>();
        for (JsonNode p : listed) {
            String name = text(p, "name");
            if (name == null) {
                continue;
            }
            List<DynamicPrompt.Argument> arguments = new ArrayList<>();
            p.path("arguments").forEach(a -> {
                if (a.path("name").isTextual()) {
                    arguments.add(new DynamicPrompt.Argument(a.get("name").asText(), text(a, "description"),
                            a.path("required").asBoolean(false)));
                }
            });
            prompts.add(new DynamicPrompt(settings.federated(separator, name), text(p, "title"),
                    text(p, "description"), arguments, (args, context) -> get(name, args, context),
                    completes ? completion("ref/prompt", "name", name) : null));
        }
        synchronized (this) {
            if (!current.test(c) || mine < promptsOffered) {
                return;
            }
            promptsOffered = mine;
            try {
                promptProblems = group.setPrompts(prompts);
            } catch (IllegalStateException closed) {
                return;
            }
            promptCount = prompts.size() - promptProblems.size();
        }
        LOG.info(() -> "Upstream " + settings.name() + ": " + promptCount + " prompt(s) offered");
    }

    /** A listing, all pages; null when it failed (logged, and the entries listed before stay). */
    private List<JsonNode> list(UpstreamConnection c, String method, String field) {
        List<JsonNode> listed = new ArrayList<>();
        try {
            String cursor = null;
            do {
                ObjectNode params = mapper.createObjectNode();
                if (cursor != null) {
                    params.put("cursor", cursor);
                }
                CompletableFuture<String> answer = c.request(method, params.toString(), null);
                JsonNode page;
                try {
                    page = mapper.readTree(answer.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS));
                } finally {
                    answer.cancel(true);
                }
                page.path(field).forEach(listed::add);
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            } while (cursor != null && listed.size() < MAX_LISTED);
            return listed;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warning(() -> "Upstream " + settings.name() + ": " + method + " failed: " + (cause instanceof TimeoutException
                    ? "no answer within " + settings.callTimeout().toMillis() + " ms" : cause.getMessage()));
            return null;
        }
    }

    private String federated(JsonNode entry, String fallback) {
        String name = text(entry, "name");
        return settings.federated(separator, name == null ? fallback : name);
    }

    private String read(String uri, RequestContext context) throws Exception {
        try {
            return send("resources/read", mapper.createObjectNode().put("uri", uri), context,
                    "reading resource '" + uri + "'");
        } catch (UpstreamException e) {
            if (e.code() == RESOURCE_NOT_FOUND) {
                return null;
            }
            throw failure(e);
        }
    }

    private String get(String name, String arguments, RequestContext context) throws Exception {
        ObjectNode params = mapper.createObjectNode().put("name", name);
        params.set("arguments", mapper.readTree(arguments));
        try {
            return send("prompts/get", params, context, "getting prompt '" + name + "'");
        } catch (UpstreamException e) {
            if (e.code() == INVALID_PARAMS && !e.connectionFailed()) {
                throw new IllegalArgumentException(e.getMessage());
            }
            throw failure(e);
        }
    }

    private DynamicCompletionHandler completion(String type, String key, String value) {
        return (argument, typed, context) -> {
            ObjectNode params = mapper.createObjectNode();
            params.putObject("ref").put("type", type).put(key, value);
            params.putObject("argument").put("name", argument).put("value", typed);
            if (!context.isEmpty()) {
                ObjectNode args = params.putObject("context").putObject("arguments");
                context.forEach(args::put);
            }
            String answer;
            try {
                answer = send("completion/complete", params, null, "completing argument '" + argument + "'");
            } catch (UpstreamException e) {
                throw failure(e);
            }
            List<String> values = new ArrayList<>();
            mapper.readTree(answer).path("completion").path("values").forEach(v -> values.add(v.asText()));
            return values;
        };
    }

    /** One request through the upstream's guards, under its call time limit. */
    private String send(String method, ObjectNode params, RequestContext context, String doing) throws Exception {
        return requests.send(method, params.toString(), context, doing);
    }

    /** An error the upstream answered (its connection's failures are sentences of the guards already). */
    private ToolException failure(UpstreamException e) {
        return new ToolException("Upstream '" + settings.name() + "' answered with an error: " + e.getMessage()
                + " (code " + e.code() + ")");
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** Counts and problems for {@code /health/ready}. */
    Map<String, Object> health() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("resources", resourceCount);
        out.put("resourceTemplates", templateCount);
        out.put("prompts", promptCount);
        if (!resourceProblems.isEmpty()) {
            out.put("resourceProblems", resourceProblems);
        }
        if (!promptProblems.isEmpty()) {
            out.put("promptProblems", promptProblems);
        }
        return out;
    }
}
