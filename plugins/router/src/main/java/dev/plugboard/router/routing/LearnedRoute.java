package dev.plugboard.router.routing;

import java.util.List;

/**
 * The seam for a learned router (package {@code dev.plugboard.router.learned}): judges from the
 * prompt alone whether the strong tier is needed. Implementations are thread-safe.
 */
@FunctionalInterface
public interface LearnedRoute {

    /**
     * A learned judgement.
     *
     * @param strong whether the strong tier should answer
     * @param score the router's score that the strong tier is needed
     * @param threshold the calibrated threshold the score was compared with
     * @param neighbours the nearest labelled examples, described in a few words each
     */
    record Judgement(boolean strong, double score, double threshold, List<String> neighbours) {
        /** Copies the list. */
        public Judgement {
            neighbours = List.copyOf(neighbours);
        }
    }

    /** Judges one prompt. */
    Judgement judge(String prompt);
}
