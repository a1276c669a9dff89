package dev.plugboard.host.virtualserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Kind;
import dev.plugboard.host.catalog.Offerings;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredPrompt;
import dev.plugboard.host.catalog.RegisteredResource;
import dev.plugboard.host.catalog.RegisteredTemplate;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.catalog.ToolHandler;
import dev.plugboard.host.protocol.content.ContentEncoder;
import dev.plugboard.host.protocol.tools.CallToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A virtual server's part of the catalogue: a catalogue of its own that mirrors the entries of the
 * host's catalogue its globs select, kept in step with every change there. Entries are the host's
 * own (same handlers, same providers, so the same limits and threads); a change that alters what the
 * view lists reaches the view's listeners (its engine's sessions) and no one else's.
 *
 * <p>The search tools ({@code search_catalog}, {@code describe_tool}) are shown wrapped, so that they
 * find and describe only what the view holds; the host's own {@code call_tool} is never mirrored
 * (a search-mode view's engine adds its own, which calls only the view's tools).
 */
final class CatalogView implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CatalogView.class.getName());
    private static final String CALL_TOOL = "call_tool";
    private static final String SEARCH = "search_catalog";
    private static final String DESCRIBE = "describe_tool";
    private static final int MAX_SEARCH_LIMIT = 50;
    private static final int DEFAULT_SEARCH_LIMIT = 10;

    private final Catalog main;
    private final Catalog view;
    private final ObjectMapper mapper;
    private final AutoCloseable listening;
    private final Map<RegisteredTool, RegisteredTool> wrapped = new IdentityHashMap<>();
    private volatile VirtualServerSpec spec;
    private Offerings mirrored = Offerings.ofTools(List.of());

    CatalogView(Catalog main, VirtualServerSpec spec, ObjectMapper mapper, Duration drainTimeout, Duration swapWait) {
        this.main = main;
        this.spec = spec;
        this.mapper = mapper;
        this.view = new Catalog((component, provider) -> Offerings.ofTools(List.of()), drainTimeout, swapWait);
        view.lookUpToolsIn(main, this::foundInHost);
        sync();
        this.listening = main.addListener(this::changed);
    }

    /** The view, for the virtual server's engine. */
    Catalog catalog() {
        return view;
    }

    /** Shows what other globs select, telling the view's listeners if its listing changes. */
    synchronized void show(VirtualServerSpec next) {
        spec = next;
        sync();
    }

    private void changed(Set<Kind> kinds) {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Virtual server " + spec.name() + " could not follow a catalogue change", e);
        }
    }

    private synchronized void sync() {
        List<RegisteredTool> tools = new ArrayList<>();
        Map<RegisteredTool, RegisteredTool> keep = new IdentityHashMap<>();
        for (RegisteredTool t : main.tools().all()) {
            boolean searchTool = t.provider().meta() && (t.name().equals(SEARCH) || t.name().equals(DESCRIBE));
            if (t.provider().meta() && t.name().equals(CALL_TOOL)) {
                continue;
            }
            if (searchTool && (spec.searchMode() || spec.showsTool(t.name()))) {
                RegisteredTool w = wrapped.containsKey(t) ? wrapped.get(t) : wrap(t);
                keep.put(t, w);
                tools.add(w);
            } else if (!searchTool && spec.showsTool(t.name())) {
                tools.add(t);
            }
        }
        wrapped.keySet().retainAll(keep.keySet());
        wrapped.putAll(keep);
        List<RegisteredResource> resources = main.resources().all().stream()
                .filter(r -> spec.showsResource(r.key())).toList();
        List<RegisteredTemplate> templates = main.templates().all().stream()
                .filter(t -> spec.showsResource(t.key())).toList();
        List<RegisteredPrompt> prompts = main.prompts().all().stream().filter(p -> spec.showsPrompt(p.key())).toList();
        Offerings next = new Offerings(tools, resources, templates, prompts, List.of());
        view.replace(Provider.host(0), mirrored, next, "is no longer offered by the virtual server " + spec.name());
        mirrored = next;
    }

    /**
     * Whether a call names a tool to find in the host's catalogue, as {@code /mcp} does, so that a
     * call during an update of its bundle waits for the new version rather than reaching the old one
     * (the view hears of an update only at its end): a tool the globs show, unless the view has its
     * own of that name (the wrapped search tools, a search-mode engine's {@code call_tool}).
     */
    private boolean foundInHost(String name) {
        return spec.showsTool(name) && view.tools().find(name).filter(t -> t.provider().meta()).isEmpty();
    }

    private RegisteredTool wrap(RegisteredTool tool) {
        ToolHandler handler = tool.name().equals(SEARCH) ? search(tool.handler()) : describe(tool.handler());
        return new RegisteredTool(tool.descriptor(), handler, tool.provider(), Math.max(1, tool.permits().availablePermits()),
                tool.timeout());
    }

    /** Searches with a wider limit, then keeps the hits the view holds, up to the limit asked for. */
    private ToolHandler search(ToolHandler inner) {
        return (arguments, context) -> {
            int limit = arguments.path("limit").asInt(DEFAULT_SEARCH_LIMIT);
            ObjectNode asked = arguments;
            if (limit >= 1 && limit <= MAX_SEARCH_LIMIT) {
                asked = arguments.deepCopy().put("limit", MAX_SEARCH_LIMIT);
            }
            CallToolResult found = inner.call(asked, context);
            JsonNode structured = found.structuredContent();
            if (Boolean.TRUE.equals(found.isError()) || structured == null || !structured.path("results").isArray()) {
                return found;
            }
            ObjectNode filtered = structured.deepCopy();
            ArrayNode kept = filtered.putArray("results");
            for (JsonNode hit : structured.get("results")) {
                if (kept.size() < limit && holds(hit.path("kind").asText(), hit.path("key").asText())) {
                    kept.add(hit);
                }
            }
            return new CallToolResult(List.of(ContentEncoder.text(mapper.writeValueAsString(filtered))), filtered, null);
        };
    }

    private ToolHandler describe(ToolHandler inner) {
        return (arguments, context) -> {
            String name = arguments.path("name").asText();
            if (view.tools().find(name).isEmpty() || name.equals(CALL_TOOL)) {
                throw new ToolException("no tool named '" + name + "'; find tools with search_catalog");
            }
            return inner.call(arguments, context);
        };
    }

    private boolean holds(String kind, String key) {
        return switch (kind) {
            case "tool" -> view.tools().find(key).isPresent() && !key.equals(SEARCH) && !key.equals(DESCRIBE)
                    && !key.equals(CALL_TOOL);
            case "resource" -> view.resources().find(key).isPresent();
            case "resource_template" -> view.templates().find(key).isPresent();
            case "prompt" -> view.prompts().find(key).isPresent();
            default -> false;
        };
    }

    @Override
    public void close() {
        try {
            listening.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Removing a catalogue listener failed", e);
        }
        view.close();
    }
}
