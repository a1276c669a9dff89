package dev.plugboard.api.client;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The client's answers to several {@link InputRequest}s asked together, by the keys they were asked
 * under.
 */
public final class InputResponses {

    private final Map<String, Object> answers;

    /**
     * @param answers by key: an {@link ElicitResult}, a {@link SamplingResult} or a {@code List<Root>}
     */
    public InputResponses(Map<String, Object> answers) {
        this.answers = Map.copyOf(answers);
    }

    /** The answer to the elicitation asked under the key. */
    public ElicitResult elicitation(String key) {
        return get(key, ElicitResult.class);
    }

    /** The answer to the sampling request asked under the key. */
    public SamplingResult sampling(String key) {
        return get(key, SamplingResult.class);
    }

    /** The roots returned for the request asked under the key. */
    @SuppressWarnings("unchecked")
    public List<Root> roots(String key) {
        return (List<Root>) get(key, List.class);
    }

    private <T> T get(String key, Class<T> type) {
        Object answer = answers.get(key);
        if (!type.isInstance(answer)) {
            throw new NoSuchElementException("no " + type.getSimpleName() + " answer under '" + key + "'");
        }
        return type.cast(answer);
    }
}
