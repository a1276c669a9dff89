package dev.plugboard.router.learned;

import java.util.Objects;

/**
 * One prompt of the routing history and whether each model answered it well.
 *
 * @param prompt the prompt as the router sees it (the user's request)
 * @param weakCorrect whether the weak (cheap) model's answer was good
 * @param strongCorrect whether the strong (expensive) model's answer was good
 */
public record LabelledPrompt(String prompt, boolean weakCorrect, boolean strongCorrect) {

    public LabelledPrompt {
        Objects.requireNonNull(prompt, "prompt");
    }

    /** What sending this prompt to the strong model instead of the weak one gained: -1, 0 or 1. */
    public int strongGain() {
        return (strongCorrect ? 1 : 0) - (weakCorrect ? 1 : 0);
    }
}
