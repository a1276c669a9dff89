package dev.plugboard.api.graphql;

import dev.plugboard.api.context.Caller;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** One field being answered: its arguments, its parent value and who asks. Implemented by the host. */
@ProviderType
public interface GraphqlField {

    /** The field's coordinates, {@code Type.field}. */
    String coordinates();

    /**
     * The arguments, as GraphQL coerced them: strings, numbers ({@code Integer}, {@code Double}),
     * booleans, lists, maps for input objects; an argument the query left out is absent.
     */
    Map<String, Object> arguments();

    /** The value of the parent field, as that field's fetcher returned it after conversion; null on a root type. */
    Object source();

    /** Who sends the operation, as a tool called by the same request would see it. */
    Caller caller();
}
