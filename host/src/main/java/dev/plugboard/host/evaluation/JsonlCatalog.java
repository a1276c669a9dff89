package dev.plugboard.host.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.api.catalog.CatalogView;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A catalogue of tools read from a JSON Lines file ({@code {"id","name","description","parameters"}} a
 * line, {@code parameters} optional: {@code [{"name","description"}]}), so that search can be evaluated
 * on a corpus without deploying it.
 */
final class JsonlCatalog implements CatalogView {

    private final List<CatalogItem> items;

    private JsonlCatalog(List<CatalogItem> items) {
        this.items = List.copyOf(items);
    }

    static JsonlCatalog read(Path file, ObjectMapper mapper) throws IOException {
        List<CatalogItem> items = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line; (line = in.readLine()) != null;) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode tool = mapper.readTree(line);
                if (!tool.path("id").isTextual()) {
                    throw new IOException(file.getFileName() + " line " + lineNumber + " has no string \"id\"");
                }
                String id = tool.get("id").asText();
                List<CatalogItem.Parameter> parameters = new ArrayList<>();
                for (JsonNode p : tool.path("parameters")) {
                    if (p.path("name").isTextual()) {
                        parameters.add(new CatalogItem.Parameter(p.get("name").asText(),
                                p.path("description").asText(null), false));
                    }
                }
                items.add(new CatalogItem(CatalogItem.Kind.TOOL, id, tool.path("name").asText(id), null,
                        tool.path("description").asText(null), parameters,
                        new CatalogItem.Hints(false, true, false, true), "{\"type\":\"object\"}", "search-eval"));
            }
        }
        return new JsonlCatalog(items);
    }

    @Override
    public List<CatalogItem> items() {
        return items;
    }

    @Override
    public long revision() {
        return 1;
    }
}
