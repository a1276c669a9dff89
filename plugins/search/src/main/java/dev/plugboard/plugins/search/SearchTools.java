package dev.plugboard.plugins.search;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.api.catalog.CatalogView;
import dev.plugboard.api.search.SearchMode;
import dev.plugboard.api.search.SearchRequest;
import dev.plugboard.api.search.SearchService;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The meta-tools: search the catalogue, and describe an entry found that way. Marked as tools about
 * the catalogue, so that in search mode they are the ones {@code tools/list} shows.
 */
@Component(service = SearchTools.class, property = McpProvider.META + ":Boolean=true")
@McpProvider
public class SearchTools {

    /** What can be searched for. */
    public enum Kind {
        /** Tools. */
        TOOL,
        /** Resources. */
        RESOURCE,
        /** Resource templates. */
        RESOURCE_TEMPLATE,
        /** Prompts. */
        PROMPT
    }

    /**
     * One entry found.
     *
     * @param kind what it is
     * @param name its name (for resources, the URI is {@code key})
     * @param key its tool or prompt name, or its URI or URI template
     * @param title its title, or null
     * @param description what it does
     * @param bundle the plugin that provides it
     * @param score its relevance (higher is better)
     */
    public record Hit(String kind, String name, String key, String title, String description, String bundle,
            double score) {
    }

    /**
     * The entries found.
     *
     * @param query the query
     * @param results the entries, best first
     * @param answeredBy the mode that ranked them: the one asked for, or BM25 while vectors are not ready
     * @param note why the answer differs from what was asked; absent when it does not
     */
    public record Results(String query, List<Hit> results, SearchMode answeredBy, Optional<String> note) {
    }

    /** Said when a vector or hybrid search was answered by full text only. */
    static final String VECTORS_PENDING = "the search vectors are still being computed: answered by full text (BM25) "
            + "only; vector and hybrid searches use them once they are ready";

    /**
     * A tool described for calling.
     *
     * @param name its name
     * @param title its title, or null
     * @param description what it does
     * @param inputSchema its input schema as JSON text
     * @param readOnly its read-only hint
     * @param destructive its destructive hint
     * @param bundle the plugin that provides it
     */
    public record ToolDescription(String name, String title, String description, String inputSchema, boolean readOnly,
            boolean destructive, String bundle) {
    }

    private final SearchService search;
    private final CatalogView catalog;

    /** Uses the search service and the catalogue. */
    @Activate
    public SearchTools(@Reference SearchService search, @Reference CatalogView catalog) {
        this.search = search;
        this.catalog = catalog;
    }

    @Tool(name = "search_catalog", title = "Search the catalogue", description = "Finds the tools (and resources "
            + "and prompts) that fit a task described in plain words, best first. Use it before calling a tool you "
            + "have not seen; then read its input schema with describe_tool.", readOnly = true, idempotent = true,
            openWorld = false)
    public Results searchCatalog(
            @Param(description = "The task or capability to look for, in plain words") String query,
            @Param(description = "Only entries of this kind") Optional<Kind> kind,
            @Param(description = "Only tools that do not modify anything") Optional<Boolean> readOnly,
            @Param(description = "How many entries to return (1 to 50)", defaultValue = "10") int limit,
            @Param(description = "BM25 (words), VECTOR (meaning) or HYBRID (both)", defaultValue = "HYBRID")
            SearchMode mode) {
        if (limit < 1 || limit > 50) {
            throw new ToolException("limit must be between 1 and 50");
        }
        SearchRequest request = SearchRequest.of(query).withMode(mode).withLimit(limit).withReadOnly(readOnly.orElse(null))
                .withKinds(kind.map(k -> Set.of(CatalogItem.Kind.valueOf(k.name()))).orElse(Set.of()));
        boolean fullTextOnly = mode != SearchMode.BM25 && !search.vectorsReady();
        List<Hit> hits = search.search(request).stream().map(h -> new Hit(h.item().kind().name().toLowerCase(Locale.ROOT),
                h.item().name(), h.item().key(), h.item().title(), h.item().description(), h.item().bundle(),
                Math.round(h.score() * 10_000) / 10_000.0)).toList();
        return new Results(query, hits, fullTextOnly ? SearchMode.BM25 : mode, fullTextOnly ? Optional.of(VECTORS_PENDING) : Optional.empty());
    }

    @Tool(name = "describe_tool", title = "Describe a tool", description = "Gives a tool's full definition, with the "
            + "input schema its arguments must match, so that it can be called.", readOnly = true, idempotent = true,
            openWorld = false)
    public ToolDescription describeTool(@Param(description = "The tool's name, as search_catalog gave it") String name) {
        return catalog.items().stream()
                .filter(i -> i.kind() == CatalogItem.Kind.TOOL && i.key().equals(name))
                .findFirst()
                .map(i -> new ToolDescription(i.name(), i.title(), i.description(), i.inputSchema(),
                        i.hints() != null && i.hints().readOnly(), i.hints() == null || i.hints().destructive(),
                        i.bundle()))
                .orElseThrow(() -> new ToolException("no tool named '" + name + "'; find tools with search_catalog"));
    }
}
