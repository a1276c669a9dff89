package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.api.search.SearchHit;
import dev.plugboard.api.search.SearchMode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code /api/v1/search}: search the catalogue with the search plugin. */
@Path("/api/v1/search")
public final class SearchResource {

    private final RestContext rest;

    /** Created by Jersey for each request. */
    @Inject
    SearchResource(RestContext rest) {
        this.rest = rest;
    }

    /** Searches. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "search", summary = "Search the catalogue", response = "SearchResult", problems = 503,
            description = "`q` is any text; `mode` is `bm25`, `vector` or `hybrid` (the default); `kind` is a"
            + " comma-separated list of `tool`, `resource`, `resource_template`, `prompt` (all by default);"
            + " `limit` is 1 to 100 (10). Needs the search plugin (503 `unavailable` without it).")
    public ObjectNode search(@QueryParam("q") String q, @QueryParam("mode") String mode,
            @QueryParam("kind") String kind, @QueryParam("limit") String limit) {
        List<SearchHit> hits = rest.operations().search(q, mode(mode), kinds(kind),
                RestContext.integer("limit", limit, 10, 1, 100));
        ObjectNode out = rest.mapper().createObjectNode();
        var list = out.putArray("hits");
        for (SearchHit hit : hits) {
            ObjectNode item = list.addObject();
            CatalogItem c = hit.item();
            item.put("kind", c.kind().name().toLowerCase(Locale.ROOT)).put("key", c.key()).put("name", c.name());
            if (c.title() != null) {
                item.put("title", c.title());
            }
            if (c.description() != null) {
                item.put("description", c.description());
            }
            item.put("bundle", c.bundle()).put("score", hit.score());
        }
        return out;
    }

    private static SearchMode mode(String mode) {
        if (mode == null || mode.isEmpty()) {
            return SearchMode.HYBRID;
        }
        try {
            return SearchMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("mode must be bm25, vector or hybrid");
        }
    }

    private static Set<CatalogItem.Kind> kinds(String kind) {
        if (kind == null || kind.isEmpty()) {
            return Set.of();
        }
        Set<CatalogItem.Kind> kinds = EnumSet.noneOf(CatalogItem.Kind.class);
        for (String k : kind.split(",")) {
            try {
                kinds.add(CatalogItem.Kind.valueOf(k.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("kind must be a comma-separated list of tool, resource,"
                        + " resource_template and prompt");
            }
        }
        return kinds;
    }
}
