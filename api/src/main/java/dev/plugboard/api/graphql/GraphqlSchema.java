package dev.plugboard.api.graphql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an extension adds to the host's schema.
 *
 * <p>The SDL may only extend the root types ({@code extend type Query}, {@code extend type Mutation},
 * {@code extend type Subscription}) and declare types of its own; it may use the host's scalars
 * ({@code JSON}) and directives ({@code @admin}). A field without a fetcher reads the property of its
 * parent value with its name (a map key or a record component).
 *
 * @param sdl the schema text (GraphQL SDL)
 * @param fetchers the data fetchers by field coordinates ({@code "Query.greeting"})
 */
public record GraphqlSchema(String sdl, Map<String, GraphqlFetcher> fetchers) {

    /** Copies the fetchers and checks that nothing is missing. */
    public GraphqlSchema {
        Objects.requireNonNull(sdl, "sdl");
        fetchers = Map.copyOf(fetchers);
    }

    /** Starts an extension's schema from its SDL. */
    public static Builder builder(String sdl) {
        return new Builder(sdl);
    }

    /** Builds a {@link GraphqlSchema}; not thread-safe. */
    public static final class Builder {

        private final String sdl;
        private final Map<String, GraphqlFetcher> fetchers = new LinkedHashMap<>();

        private Builder(String sdl) {
            this.sdl = Objects.requireNonNull(sdl, "sdl");
        }

        /**
         * The fetcher of one field.
         *
         * @param type the type that has the field ({@code Query}, {@code Mutation} or one of the extension's types)
         * @param field the field's name
         */
        public Builder fetcher(String type, String field, GraphqlFetcher fetcher) {
            fetchers.put(type + "." + field, Objects.requireNonNull(fetcher, "fetcher"));
            return this;
        }

        /** The schema. */
        public GraphqlSchema build() {
            return new GraphqlSchema(sdl, fetchers);
        }
    }
}
