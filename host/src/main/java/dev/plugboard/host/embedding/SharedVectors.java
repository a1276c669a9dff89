package dev.plugboard.host.embedding;

import java.util.List;
import java.util.Map;

/**
 * Vectors shared by the nodes of one deployment (Redis), behind each node's own cache: a text one
 * node embedded is not embedded again by another. Implementations answer quickly or not at all: a
 * vector they cannot give in time is computed.
 */
public interface SharedVectors {

    /**
     * The vectors the shared store holds for some texts.
     *
     * @return by text, only those found (empty when the store cannot answer)
     */
    Map<String, float[]> get(String model, List<String> texts);

    /** Keeps vectors for the other nodes, without waiting. */
    void put(String model, Map<String, float[]> vectors);
}
