package dev.plugboard.router.learned;

import dev.plugboard.router.routing.LearnedRoute;
import java.util.List;
import java.util.Locale;

/**
 * The {@link LearnedRoute} the bundle registers: judges with the router last trained, and says how
 * training stands. Swapped whole on retraining, so judging never waits. Thread-safe.
 */
final class TrainedRoute implements LearnedRoute {

    /** How many nearest labelled examples explain a judgement. */
    static final int EXPLAINED_BY = 3;
    private static final int QUOTED_CHARS = 60;

    /**
     * What is served.
     *
     * @param router the trained router, or null while none is
     * @param threshold its calibrated threshold, or null with it
     * @param status how training stands, in a few words
     */
    record State(LearnedRouter router, LearnedRouter.Threshold threshold, String status) {
    }

    private final Embedder embedder;
    private volatile State state = new State(null, null, "idle: router.json has no learned block");

    TrainedRoute(Embedder embedder) {
        this.embedder = embedder;
    }

    void set(State next) {
        state = next;
    }

    State state() {
        return state;
    }

    @Override
    public boolean ready() {
        return state.router() != null;
    }

    @Override
    public String status() {
        return state.status();
    }

    @Override
    public Judgement judge(String prompt) {
        State s = state;
        if (s.router() == null) {
            throw new IllegalStateException("the learned router is not trained yet");
        }
        float[] e = embedder.embed(prompt);
        double score = s.router().strongScore(prompt, e);
        List<String> neighbours = s.router().nearest(e, EXPLAINED_BY).stream().map(TrainedRoute::describe).toList();
        return new Judgement(s.threshold().strong(score), score, s.threshold().score(), neighbours);
    }

    private static String describe(LearnedRouter.Neighbour n) {
        String p = n.example().prompt().strip().replaceAll("\\s+", " ");
        if (p.length() > QUOTED_CHARS) {
            p = p.substring(0, QUOTED_CHARS) + "…";
        }
        return String.format(Locale.ROOT, "\"%s\" (similarity %.2f; weak tier %s, strong tier %s)", p, n.similarity(),
                n.example().weakCorrect() ? "right" : "wrong", n.example().strongCorrect() ? "right" : "wrong");
    }
}
