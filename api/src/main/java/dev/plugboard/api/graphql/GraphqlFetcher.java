package dev.plugboard.api.graphql;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers one field of an extension.
 *
 * <p>The value may be a string, number, boolean, null, a map with string keys, a list, a record or a
 * bean: the host turns it into the field's type with its JSON settings. It may also be a
 * {@link java.util.concurrent.CompletionStage} of such a value; a field of {@code Subscription} returns
 * a {@link java.util.concurrent.Flow.Publisher} of them. Throw {@link GraphqlFailure} for an error the
 * client is told about; any other exception is answered {@code INTERNAL} with the message
 * {@code Internal error}, and logged.
 */
@ConsumerType
@FunctionalInterface
public interface GraphqlFetcher {

    /** The field's value. Called on the request's thread, with the caller bound as for a tool. */
    Object fetch(GraphqlField field) throws Exception;
}
