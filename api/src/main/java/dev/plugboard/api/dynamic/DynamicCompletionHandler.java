package dev.plugboard.api.dynamic;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Proposes values for an argument of a prompt or a variable of a resource template defined at run
 * time ({@code completion/complete}). Called on one of the plugin's own threads.
 *
 * @since 1.1
 */
@ConsumerType
@FunctionalInterface
public interface DynamicCompletionHandler {

    /**
     * @param argument the argument's or variable's name
     * @param value what the user typed so far
     * @param context the other arguments already given
     * @return candidates, best first (the host sends at most 100)
     * @throws Exception when completion fails
     */
    List<String> complete(String argument, String value, Map<String, String> context) throws Exception;
}
