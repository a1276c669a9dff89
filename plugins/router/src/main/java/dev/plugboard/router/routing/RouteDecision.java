package dev.plugboard.router.routing;

import java.util.List;

/**
 * Where a request goes first and why.
 *
 * @param tier the tier chosen, or null when the client named one model
 * @param models the models to try in order within it
 * @param escalate whether a failed or rejected tier hands over to the next one
 * @param policy what decided: {@code model}, {@code tier}, {@code rule}, {@code preferences}, {@code learned}, {@code default}
 * @param reason a sentence that explains the choice
 * @param neighbours for a learned decision, the nearest labelled examples behind it; otherwise empty
 */
public record RouteDecision(String tier, List<String> models, boolean escalate, String policy, String reason,
        List<String> neighbours) {

    /** Copies the lists. */
    public RouteDecision {
        models = List.copyOf(models);
        neighbours = neighbours == null ? List.of() : List.copyOf(neighbours);
    }
}
