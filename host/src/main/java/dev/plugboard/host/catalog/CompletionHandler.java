package dev.plugboard.host.catalog;

import java.util.List;
import java.util.Map;

/** Proposes values for one prompt argument or template variable. */
@FunctionalInterface
public interface CompletionHandler {

    /**
     * @param value what the user typed so far
     * @param context the other arguments already given
     * @return candidates, best first
     * @throws Exception when completion fails
     */
    List<String> complete(String value, Map<String, String> context) throws Exception;
}
