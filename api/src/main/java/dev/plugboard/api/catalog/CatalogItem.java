package dev.plugboard.api.catalog;

import java.util.List;
import java.util.Objects;

/**
 * One entry of the catalogue as other plugins see it: a tool, resource, resource template or
 * prompt, with everything that describes it.
 *
 * @param kind what it is
 * @param key its unique key: the name of a tool or prompt, the URI of a resource, the URI template
 *     of a template
 * @param name its name
 * @param title a human-readable title, or null
 * @param description what it does or holds, or null
 * @param parameters its arguments (tool parameters, prompt arguments, template variables)
 * @param hints a tool's behaviour hints, or null for other kinds
 * @param inputSchema a tool's input schema as JSON text, or null for other kinds
 * @param bundle the symbolic name of the bundle that provides it
 */
public record CatalogItem(Kind kind, String key, String name, String title, String description,
        List<Parameter> parameters, Hints hints, String inputSchema, String bundle) {

    /** Rejects nulls where a value is required and copies the parameters. */
    public CatalogItem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /** The kinds of entries. */
    public enum Kind {
        /** A tool. */
        TOOL,
        /** A resource at a fixed URI. */
        RESOURCE,
        /** A resource template. */
        RESOURCE_TEMPLATE,
        /** A prompt. */
        PROMPT
    }

    /**
     * One argument.
     *
     * @param name its name
     * @param description what it means, or null
     * @param required whether it must be given
     */
    public record Parameter(String name, String description, boolean required) {
    }

    /**
     * A tool's behaviour hints, with the specification's defaults applied.
     *
     * @param readOnly it does not modify its environment
     * @param destructive it may destroy data
     * @param idempotent repeated calls have no additional effect
     * @param openWorld it reaches an open world of external entities
     */
    public record Hints(boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld) {
    }
}
