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

    /** Judges one prompt; only called while {@link #ready()}. */
    Judgement judge(String prompt);

    /** Whether it can judge now (a router still training cannot: the default tier answers meanwhile). */
    default boolean ready() {
        return true;
    }

    /** Its state in a few words, for {@code /health/ready}: {@code available}, {@code training}, or why not. */
    default String status() {
        return "available";
    }
}
